import { readCommittedOffsets, readEndOffsets, waitFor } from '@kafkakit/kafka-testkit';
import type { ConsumerChild } from '../child/spawn.js';
import { readDeadLetters } from '../dlq.js';
import { produceNumbered } from '../producer.js';
import { criterion } from '../result.js';
import type { Evidence, RunContext, ScenarioDefinition } from '../scenario.js';
import { readShareLag } from '../share-lag.js';
import type { AckedMessage } from '../types.js';
import { STRATEGIES } from '../types.js';
import { describeExit, stopChild, waitHandled } from './steps.js';

/** 1. Baseline: 3 partitions, 1 consumer, 20k messages: 0 lost, 0 duplicates, committed = end offsets. */
export function baseline(total = 20_000): ScenarioDefinition {
  return {
    id: 1,
    title: `baseline ${total} msgs`,
    strategies: STRATEGIES,
    share: true,
    run: async (ctx) => {
      const topic = await ctx.topic('fault-baseline', 3);
      ctx.owns(`${topic}.dlq`);
      const acked = await produceNumbered(ctx.brokers, topic, 3, Math.ceil(total / 3));
      const sampler = await ctx.sampler(topic);
      const child = ctx.child(ctx.childConfig(topic));
      await child.ready;
      await waitHandled(ctx, acked, 180_000);
      const ends = await readEndOffsets(ctx.brokers, topic);
      // A share group commits nothing: its progress is the share-partition start offset (lag 0 = all acknowledged).
      if (ctx.groupType === 'share') return shareBaseline(ctx, topic, acked, child);
      const matches = async () => {
        const committed = await readCommittedOffsets(ctx.brokers, ctx.groupId, topic);
        return Object.entries(ends).every(([p, high]) => committed[Number(p)] === high);
      };
      const committedBeforeStop = await waitFor(matches, { timeoutMs: 15_000 }).then(
        () => true,
        () => false,
      );
      const stop = await stopChild(child, 'SIGTERM');
      const committed = await readCommittedOffsets(ctx.brokers, ctx.groupId, topic);
      const samples = await sampler.stop();
      const dlq = await readDeadLetters(ctx.brokers, `${topic}.dlq`);
      return {
        acked,
        dlq,
        samples,
        judge: (m) => [criterion('0 duplicates', m.duplicates === 0, `${m.duplicates}`)],
        criteria: [
          criterion(
            'committed = end offsets while running',
            committedBeforeStop,
            `committed ${JSON.stringify(committed)} end ${JSON.stringify(ends)}`,
          ),
          criterion('0 dead-lettered', dlq.length === 0, `${dlq.length}`),
          criterion('clean exit 0', stop.exit.code === 0, describeExit(stop)),
        ],
      };
    },
  };
}

/** The share-group form: every record acknowledged (share lag 0 on every partition), then a clean stop. */
async function shareBaseline(
  ctx: RunContext,
  topic: string,
  acked: AckedMessage[],
  child: ConsumerChild,
): Promise<Evidence> {
  let last = '';
  const drained = await waitFor(
    async () => {
      const { lag, output } = await readShareLag(ctx.brokers, ctx.groupId, topic);
      last = output.trim();
      const values = Object.values(lag);
      return values.length === 3 && values.every((n) => n === 0);
    },
    { timeoutMs: 30_000, intervalMs: 1000 },
  ).then(
    () => true,
    () => false,
  );
  const stop = await stopChild(child, 'SIGTERM');
  const dlq = await readDeadLetters(ctx.brokers, `${topic}.dlq`);
  return {
    acked,
    dlq,
    judge: (m) => [criterion('0 duplicates', m.duplicates === 0, `${m.duplicates}`)],
    criteria: [
      criterion('share lag 0 on every partition while running (all acknowledged)', drained, last),
      criterion('0 dead-lettered', dlq.length === 0, `${dlq.length}`),
      criterion('clean exit 0', stop.exit.code === 0, describeExit(stop)),
    ],
  };
}
