import {
  type ClusterControl,
  type KafkaHandle,
  startKafka,
  testClient,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { readDeadLetters } from '../dlq.js';
import { produceNumbered } from '../producer.js';
import { criterion, noCommittedDuplicates } from '../result.js';
import type { RunContext, ScenarioDefinition } from '../scenario.js';
import { type CommitStrategy, type LedgerEntry, STRATEGIES } from '../types.js';
import { describeExit, scheduleDelay, stopChild, waitCompletions, waitHandled } from './steps.js';

const PARTITIONS = 3;
/** Messages per partition and the handler's time per message: about 36 s of work in all. */
const BACKLOG = 600;
const HANDLER_MS = 20;

/** The longest time a partition of `partitions` went without a handler completion in [from, to]. */
export function longestStall(
  ledger: readonly LedgerEntry[],
  partitions: readonly number[],
  from: number,
  to: number,
): { ms: number; partition: number } {
  let worst = { ms: 0, partition: partitions[0] ?? 0 };
  for (const p of partitions) {
    const times = ledger
      .filter((e) => e.ev === 'done' && e.p === p && e.ts >= from && e.ts <= to)
      .map((e) => e.ts)
      .sort((a, b) => a - b);
    // From the fault to the partition's first completion, then between completions; a partition
    // that finished its work early is not stalled afterwards. None at all: stalled until `to`.
    let last = from;
    for (const ts of times.length === 0 ? [to] : times) {
      if (ts - last > worst.ms) worst = { ms: ts - last, partition: p };
      last = ts;
    }
  }
  return worst;
}

/**
 * The longest time in [from, to] in which the consumer completed nothing at all, on any partition:
 * how long processing stopped. (A per-partition measure would count a partition waiting its turn
 * behind another's batch, under partition ordering with concurrency 1, as stalled.)
 */
export function longestPause(
  ledger: readonly LedgerEntry[],
  from: number,
  to: number,
): { ms: number; at: number } {
  const times = ledger
    .filter((e) => e.ev === 'done' && e.ts >= from && e.ts <= to)
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  let worst = { ms: 0, at: from };
  let last = from;
  for (const ts of times.length === 0 ? [to] : times) {
    if (ts - last > worst.ms) worst = { ms: ts - last, at: last };
    last = ts;
  }
  return worst;
}

/** Waits until every partition of `topics` has all replicas in sync (a node is fully back). */
async function waitInSync(brokers: string[], topics: string[], timeoutMs = 90_000): Promise<void> {
  const admin = testClient(brokers, 'fault-suite-isr').admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const { topics: meta } = await admin.fetchTopicMetadata({ topics });
        return meta.every((t) => t.partitions.every((p) => p.isr.length === p.replicas.length));
      },
      { timeoutMs, intervalMs: 500, message: `every replica of ${topics.join(', ')} in sync` },
    );
  } finally {
    await admin.disconnect();
  }
}

type Fault = 'leader' | 'coordinator' | 'rolling';

const TITLES: Record<Fault, (downMs: number) => string> = {
  leader: (ms) => `leader SIGKILL, restart after ${ms / 1000} s`,
  coordinator: (ms) => `coordinator SIGKILL, restart after ${ms / 1000} s`,
  rolling: () => 'rolling restart of 3 brokers',
};

/** Target of issue 13 for the coordinator kill: processing resumes within this of the kill. */
export const COORDINATOR_TARGET_MS = 10_000;

function failover(
  id: number,
  fault: Fault,
  strategies: readonly CommitStrategy[],
  downMs: number,
  backlog = BACKLOG,
): ScenarioDefinition {
  let kafka: KafkaHandle | undefined;
  const cluster = (): ClusterControl => {
    if (kafka?.cluster === undefined) throw new Error('no three-node cluster');
    return kafka.cluster;
  };
  return {
    id,
    title: TITLES[fault](downMs),
    strategies,
    setup: async () => {
      kafka = await startKafka({ nodes: 3, mode: 'local' });
      return { brokers: kafka.brokers, teardown: async () => kafka?.stop() };
    },
    run: async (ctx: RunContext) => {
      // A backlog the consumer works through (no producer running during the fault): a stall is the
      // consumer's alone, not a producer waiting for the same dead broker.
      const topic = await ctx.topic(`fault-failover-${fault}`, PARTITIONS);
      ctx.owns(`${topic}.dlq`);
      const acked = await produceNumbered(ctx.brokers, topic, PARTITIONS, backlog);
      const sampler = await ctx.sampler(topic);
      const config = ctx.childConfig(topic, { behaviour: { delayMs: HANDLER_MS } });
      const child = ctx.child(config);
      await child.ready;
      await waitCompletions(ctx, 150, 60_000);
      const all = Array.from({ length: PARTITIONS }, (_, p) => p);
      const faultAt = Date.now();
      let affected = all;
      let victim = 0;
      if (fault === 'rolling') {
        for (const node of cluster().nodes) {
          await cluster().stopNode(node.id);
          await cluster().startNode(node.id);
          await waitInSync(ctx.brokers, [topic, '__consumer_offsets']);
        }
      } else {
        const coordinator = await cluster().coordinatorOf(ctx.groupId);
        // 13 is about a partition leader alone: one that does not also host the coordinator (that is 14).
        const leaders = await Promise.all(all.map((p) => cluster().leaderOf(topic, p)));
        victim = fault === 'leader' ? (leaders.find((n) => n !== coordinator) ?? coordinator) : coordinator;
        if (fault === 'leader') affected = all.filter((p) => leaders[p] === victim);
        await cluster().killNode(victim);
        await scheduleDelay(downMs);
        await cluster().startNode(victim);
      }
      await waitHandled(ctx, acked, 180_000);
      const ledger = ctx.ledger();
      // Until each affected partition finished its backlog: later there is nothing left to process.
      const lastDone = Math.max(...ledger.filter((e) => e.ev === 'done').map((e) => e.ts));
      const stall = longestStall(ledger, affected, faultAt, lastDone);
      const pause = longestPause(ledger, faultAt, lastDone);
      const backlogLeft = acked.length - ledger.filter((e) => e.ev === 'done' && e.ts <= faultAt).length;
      const survived = child.isRunning();
      const after = ctx
        .ledger()
        .filter((e) => e.ev === 'done' && e.pid === child.pid && e.ts > faultAt).length;
      const stop = await stopChild(child, 'SIGTERM');
      const what = fault === 'rolling' ? 'all 3 nodes' : `node ${victim}`;
      const criteria = [
        criterion(
          'same process kept consuming (no restart)',
          survived && after > 0,
          `alive ${survived}, ${after} completions by pid ${child.pid} after the fault`,
        ),
        criterion('clean exit 0', stop.exit.code === 0, describeExit(stop)),
        criterion(
          'fault hit mid-stream',
          backlogLeft > 0,
          `${backlogLeft} of ${acked.length} still to do at the fault`,
        ),
        criterion(
          'processing resumed',
          pause.ms < 90_000,
          `processing stopped for at most ${(pause.ms / 1000).toFixed(1)} s after killing ${what}`,
        ),
      ];
      if (fault === 'coordinator') {
        const rejoins = ledger.filter((e) => e.ev === 'assigned' && e.ts > faultAt).length;
        criteria.push(
          criterion(
            'the member kept its assignment: no re-join (heartbeats and commits moved to the successor)',
            rejoins === 0,
            `${rejoins} assignments after the kill`,
          ),
          criterion(
            `resumed within ${COORDINATOR_TARGET_MS / 1000} s of the coordinator kill`,
            pause.ms <= COORDINATOR_TARGET_MS,
            `${(pause.ms / 1000).toFixed(1)} s`,
          ),
        );
      }
      return {
        acked,
        dlq: await readDeadLetters(ctx.brokers, `${topic}.dlq`),
        samples: await sampler.stop(),
        judge: (m) => [noCommittedDuplicates(m)],
        criteria,
        notes: `paused ${(pause.ms / 1000).toFixed(1)}s at +${((pause.at - faultAt) / 1000).toFixed(1)}s; p${stall.partition} idle ${(stall.ms / 1000).toFixed(1)}s (${what})`,
      };
    },
  };
}

/** 13. The leader of a consumed partition is SIGKILLed mid-stream and restarted after `downMs`. */
export const leaderKill = (
  strategies: readonly CommitStrategy[] = STRATEGIES,
  downMs = 20_000,
  backlog = BACKLOG,
) => failover(13, 'leader', strategies, downMs, backlog);

/** 14. The broker hosting the group coordinator is SIGKILLed (restarted after `downMs`). */
export const coordinatorKill = (
  strategies: readonly CommitStrategy[] = STRATEGIES,
  downMs = 20_000,
  backlog = BACKLOG,
) => failover(14, 'coordinator', strategies, downMs, backlog);

/** 15. Rolling restart of all three brokers (stop, start, wait in sync, next) during consumption. */
export const clusterRollingRestart = (strategies: readonly CommitStrategy[] = STRATEGIES) =>
  failover(15, 'rolling', strategies, 0);
