import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConsumer, noopLogger } from '@kafkakit/kafka-consumer';
import { nowMs } from './meter.js';

/** What the drain child reports (written synchronously: the runtime exits the process itself). */
export interface DrainChildReport {
  inFlightAtSignal: number;
  /** Longest time a handler running at SIGTERM still had to go. */
  longestRemainingMs: number;
  /** Longest planned duration among the handlers running at SIGTERM. */
  longestHandlerMs: number;
  signalAt: number;
  stoppedAt?: number;
  runtimeDurationMs?: number;
  drained?: boolean;
  abandoned?: number;
}

export interface DrainSpec {
  brokers: string[];
  topic: string;
  groupId: string;
  inFlight: number;
  resultFile: string;
}

/** Handler duration for a partition: 500 ms + 15 ms per partition index (499 ms ... 1,985 ms). */
export const handlerMsFor = (partition: number): number => 500 + 15 * partition;

/**
 * The runtime with its default signal handling (SIGTERM -> drain -> commit -> leave -> exit) and
 * `concurrency` = partitions, each handler sleeping handlerMsFor(partition). Tells the parent when
 * `inFlight` handlers run at once; the parent then sends a real SIGTERM.
 */
export async function runDrainChild(spec: DrainSpec): Promise<void> {
  const running = new Map<number, { startedAt: number; plannedMs: number }>();
  let next = 0;
  let notified = false;
  const report: DrainChildReport = {
    inFlightAtSignal: 0,
    longestRemainingMs: 0,
    longestHandlerMs: 0,
    signalAt: 0,
  };
  process.on('SIGTERM', () => {
    const now = nowMs();
    report.signalAt = now;
    report.inFlightAtSignal = running.size;
    for (const h of running.values()) {
      report.longestHandlerMs = Math.max(report.longestHandlerMs, h.plannedMs);
      report.longestRemainingMs = Math.max(report.longestRemainingMs, h.startedAt + h.plannedMs - now);
    }
    writeFileSync(spec.resultFile, JSON.stringify(report));
  });
  const consumer = createConsumer({
    brokers: spec.brokers,
    groupId: spec.groupId,
    topics: [spec.topic],
    fromBeginning: true,
    concurrency: spec.inFlight,
    logger: noopLogger,
    shutdown: { drainTimeoutMs: 15_000 },
    handler: async ({ partition }) => {
      const id = next++;
      const plannedMs = handlerMsFor(partition);
      running.set(id, { startedAt: nowMs(), plannedMs });
      if (!notified && running.size >= spec.inFlight) {
        notified = true;
        process.send?.({ type: 'inflight' });
      }
      try {
        await sleep(plannedMs);
      } finally {
        running.delete(id);
      }
    },
  });
  consumer.on('consumer.stopped', (stopped) => {
    report.stoppedAt = nowMs();
    report.runtimeDurationMs = stopped.durationMs;
    report.drained = stopped.drained;
    report.abandoned = stopped.abandoned;
    writeFileSync(spec.resultFile, JSON.stringify(report));
  });
  await consumer.connect();
  await consumer.run();
}
