import type { KafkaConsumer } from '../../consumer.js';
import type { ConsumerWatch, HoldView, StuckReport } from '../watch/consumer-watch.js';

export interface ProbeResult {
  ok: boolean;
  body: Record<string, unknown>;
}

/**
 * Ready: joined the group, running, not stopping. Turns false synchronously when disconnect()
 * (or a shutdown signal) starts. Paused/stopped partitions are listed but do not make it unready.
 */
export function readiness(consumer: KafkaConsumer, watch: ConsumerWatch): ProbeResult {
  const health = consumer.health();
  const reasons: string[] = [];
  const { state } = watch;
  if (state === 'stopping' || state === 'stopped' || health.status === 'stopped') {
    reasons.push('shutting down');
  } else if (state === 'crashed') reasons.push('client crashed');
  else if (state === 'idle') reasons.push('not started (run() not called)');
  else if (health.missingTopics.length > 0)
    reasons.push(`waiting for topic(s) to exist: ${health.missingTopics.join(', ')}`);
  else if (state === 'connecting' || health.status === 'starting') reasons.push('not joined the group yet');
  else if (!health.running) reasons.push('not running');
  const holds: HoldView[] = watch.holds(health);
  return {
    ok: reasons.length === 0,
    body: {
      status: reasons.length === 0 ? 'ready' : 'not ready',
      reasons,
      state,
      assignedPartitions: health.assignedPartitions,
      pausedPartitions: holds,
      stoppedPartitions: holds.filter((h) => h.reason !== 'dead-letter-failed'),
      problems: health.problems,
    },
  };
}

/**
 * Live: not crashed and not stuck (lag > 0 and no progress for stuckAfterMs). Messages waiting for an
 * unavailable dependency (DependencyUnavailableError) are not "stuck": a restart would not bring the
 * database back, so the probe stays live and its body says what is awaited.
 */
export function liveness(consumer: KafkaConsumer, watch: ConsumerWatch): ProbeResult {
  const health = consumer.health();
  const stuck: StuckReport | undefined = watch.evaluate();
  const reasons: string[] = [];
  if (watch.state === 'crashed') reasons.push('client crashed');
  const waiting = health.waitingForDependency;
  if (stuck !== undefined && waiting.messages === 0) {
    reasons.push(
      `stuck: lag > 0 and no message finished for ${watch.stuckAfterMs} ms on ${stuck.partitions
        .map((p) => `${p.topic}[${p.partition}]`)
        .join(', ')}`,
    );
  }
  return {
    ok: reasons.length === 0,
    body: {
      status: reasons.length === 0 ? 'live' : 'not live',
      reasons,
      state: watch.state,
      stuckAfterMs: watch.stuckAfterMs,
      stuck: stuck ?? null,
      inFlight: health.inFlight,
      waitingForDependency: waiting,
      secondsSinceProgress: watch.secondsSinceProgress(health),
      partitions: watch.partitions(),
    },
  };
}
