import { EXIT_CODES } from '@kafkakit/kafka-consumer';
import { readCommittedOffsets, waitFor } from '@kafkakit/kafka-testkit';
import { readDeadLetters } from '../dlq.js';
import { produceNumbered } from '../producer.js';
import { criterion, noCommittedDuplicates } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import { STRATEGIES } from '../types.js';
import { describeExit, stopChild, waitHandled } from './steps.js';

const PARTITIONS = 3;

/**
 * 12. A second signal during the drain (slow 1 s handler, drain timeout 10 s, every third message
 * poison and dead-lettered): immediate exit with EXIT_CODES.FORCED; no DLQ record is lost whose
 * source offset was committed; after a restart 0 lost.
 */
export function secondSignal(perPartition = 15): ScenarioDefinition {
  return {
    id: 12,
    title: 'second signal during drain',
    strategies: STRATEGIES,
    run: async (ctx) => {
      const topic = await ctx.topic('fault-2ndsig', PARTITIONS);
      const dlqTopic = `${topic}.dlq`;
      ctx.owns(dlqTopic);
      const acked = await produceNumbered(ctx.brokers, topic, PARTITIONS, perPartition);
      const poisonIds = acked.filter((m) => Number(m.id.split(':')[1]) % 3 === 1).map((m) => m.id);
      const sampler = await ctx.sampler(topic);
      const config = ctx.childConfig(topic, {
        drainTimeoutMs: 10_000,
        retry: { maxRetries: 0, initialDelayMs: 10, maxDelayMs: 10 },
        behaviour: { delayMs: 1000, poisonIds },
      });
      const first = ctx.child(config);
      await first.ready;
      const count = (ev: string) => ctx.ledger().filter((e) => e.ev === ev && e.pid === first.pid).length;
      await waitFor(() => count('done') >= 2 && count('dead-lettered') >= 2, {
        timeoutMs: 60_000,
        message: 'some messages processed and dead-lettered',
      });
      first.signal('SIGTERM');
      await waitFor(() => count('signal') >= 1, {
        timeoutMs: 10_000,
        intervalMs: 5,
        message: 'first signal seen',
      });
      const forced = await stopChild(first, 'SIGTERM');
      const committed = await readCommittedOffsets(ctx.brokers, ctx.groupId, topic);
      const inDlq = new Set((await readDeadLetters(ctx.brokers, dlqTopic)).map((r) => r.id));
      const covered = acked.filter(
        (m) => poisonIds.includes(m.id) && BigInt(m.offset) < BigInt(committed[m.partition] ?? '-1'),
      );
      const missing = covered.filter((m) => !inDlq.has(m.id)).map((m) => m.id);
      const second = ctx.child({ ...config, behaviour: { delayMs: 5, poisonIds } });
      await second.ready;
      await waitHandled(ctx, acked, 120_000);
      const final = await stopChild(second, 'SIGTERM');
      return {
        acked,
        dlq: await readDeadLetters(ctx.brokers, dlqTopic),
        samples: await sampler.stop(),
        judge: (m) => [noCommittedDuplicates(m)],
        criteria: [
          criterion(
            `second signal: immediate exit with ${EXIT_CODES.FORCED}`,
            forced.exit.code === EXIT_CODES.FORCED && forced.ms <= 1000,
            describeExit(forced),
          ),
          criterion(
            'no DLQ record lost whose source offset was committed',
            missing.length === 0,
            `${covered.length} committed poison offsets, missing from the DLQ: [${missing}]`,
          ),
          criterion('restarted consumer exits 0', final.exit.code === 0, describeExit(final)),
        ],
      };
    },
  };
}
