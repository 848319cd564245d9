import { readDeadLetters } from '../dlq.js';
import { produceNumbered } from '../producer.js';
import { criterion } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import { STRATEGIES } from '../types.js';
import { describeExit, stopChild, waitCompletions, waitHandled } from './steps.js';

const DRAIN_MS = 5000;

/**
 * 2. SIGTERM mid-stream with a 50 ms handler: exit 0 within the drain timeout + 1 s; after a
 * restart, 0 lost and 0 duplicates of completed messages.
 */
export function sigtermMidStream(perPartition = 60): ScenarioDefinition {
  return {
    id: 2,
    title: 'SIGTERM mid-stream',
    strategies: STRATEGIES,
    share: true,
    run: async (ctx) => {
      const topic = await ctx.topic('fault-sigterm', 3);
      ctx.owns(`${topic}.dlq`);
      const acked = await produceNumbered(ctx.brokers, topic, 3, perPartition);
      const sampler = await ctx.sampler(topic);
      const config = ctx.childConfig(topic, { drainTimeoutMs: DRAIN_MS, behaviour: { delayMs: 50 } });
      const first = ctx.child(config);
      await first.ready;
      await waitCompletions(ctx, Math.floor(acked.length / 4), 60_000);
      const stop = await stopChild(first, 'SIGTERM');
      const doneBeforeRestart = ctx.completedIds().size;
      const second = ctx.child(config);
      await second.ready;
      await waitHandled(ctx, acked, 120_000);
      const final = await stopChild(second, 'SIGTERM');
      return {
        acked,
        dlq: await readDeadLetters(ctx.brokers, `${topic}.dlq`),
        samples: await sampler.stop(),
        judge: (m) => [
          criterion('0 duplicates of completed messages', m.duplicates === 0, `${m.duplicates}`),
        ],
        criteria: [
          criterion(
            `SIGTERM: exit 0 within drain timeout + 1 s (${DRAIN_MS + 1000} ms)`,
            stop.exit.code === 0 && stop.ms <= DRAIN_MS + 1000,
            describeExit(stop),
          ),
          criterion(
            'stopped mid-stream',
            doneBeforeRestart < acked.length,
            `${doneBeforeRestart} of ${acked.length} done before the restart`,
          ),
          criterion('restarted consumer exits 0', final.exit.code === 0, describeExit(final)),
        ],
      };
    },
  };
}
