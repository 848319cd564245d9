import { randomInt } from 'node:crypto';
import { DEFAULTS } from '@kafkakit/kafka-consumer';
import { readDeadLetters } from '../dlq.js';
import { criterion, noCommittedDuplicates } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import { STRATEGIES } from '../types.js';
import { describeExit, startLoad, stopChild, waitCompletions, waitHandled } from './steps.js';

const PARTITIONS = 3;

/**
 * 4. SIGKILL at random points, 5 times, with the producer running: 0 lost; duplicates only inside
 * the strategy's redelivery window (never of a message whose offset a logged commit covered; with
 * per-message commits at most commit.maxUncommitted finished messages per partition per kill, the
 * documented window beyond the messages in flight). The table's `re-inflight` column counts the
 * messages in flight at a kill (redelivered, not duplicated); under 'key' ordering the commit
 * metadata keeps finished messages above the commit point from being redone.
 */
export function sigkillLoop(killCount = 5): ScenarioDefinition {
  return {
    id: 4,
    title: `SIGKILL x${killCount} + producer`,
    strategies: STRATEGIES,
    share: true,
    run: async (ctx) => {
      const { topic, producer, sampler, config } = await startLoad(ctx, 'fault-sigkill', {
        partitions: PARTITIONS,
        perTick: 10,
        delayMs: 1,
      });
      const kills: string[] = [];
      for (let i = 0; i < killCount; i++) {
        const child = ctx.child(config);
        await child.ready;
        const now = ctx.ledger().filter((e) => e.ev === 'done').length;
        await waitCompletions(ctx, now + randomInt(20, 400), 60_000);
        const stop = await stopChild(child, 'SIGKILL');
        kills.push(describeExit(stop));
      }
      const acked = await producer.stop();
      const last = ctx.child(config);
      await last.ready;
      await waitHandled(ctx, acked, 120_000);
      const final = await stopChild(last, 'SIGTERM');
      const bound =
        ctx.strategy === 'per-message'
          ? kills.length * PARTITIONS * DEFAULTS.maxUncommitted
          : Number.POSITIVE_INFINITY;
      return {
        acked,
        dlq: await readDeadLetters(ctx.brokers, `${topic}.dlq`),
        samples: await sampler.stop(),
        judge: (m) => [
          noCommittedDuplicates(m),
          criterion(
            `duplicates within the ${ctx.strategy} bound`,
            m.duplicates <= bound,
            `${m.duplicates} <= ${bound === Number.POSITIVE_INFINITY ? 'uncommitted work' : bound}`,
          ),
        ],
        criteria: [
          criterion(`${kills.length} SIGKILLs while producing`, kills.length > 0, kills.join('; ')),
          criterion('last consumer exits 0', final.exit.code === 0, describeExit(final)),
        ],
      };
    },
  };
}
