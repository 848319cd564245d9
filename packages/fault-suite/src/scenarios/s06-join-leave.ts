import { readDeadLetters } from '../dlq.js';
import { criterion, noCommittedDuplicates } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import { STRATEGIES } from '../types.js';
import { describeExit, type Stop, scheduleDelay, startLoad, stopChild, waitHandled } from './steps.js';

const PARTITIONS = 4;
const EVERY_MS = 2000;

/**
 * 6. A member joins (and is in the group 2 s), leaves, and 2 s later the next one joins, while a
 * steady member processes and the producer runs: 0 lost; no
 * handler call for a partition after its revoke (checked from the ledger: a call needs the caller's
 * latest assignment to hold the partition and no later assignment of it elsewhere).
 */
export function joinLeave(cycles = 5): ScenarioDefinition {
  return {
    id: 6,
    title: `join/leave every 2 s x${cycles}`,
    strategies: STRATEGIES,
    share: true,
    run: async (ctx) => {
      const { topic, producer, sampler, config } = await startLoad(ctx, 'fault-churn', {
        partitions: PARTITIONS,
        perTick: 5,
        delayMs: 5,
      });
      const steady = ctx.child(config);
      await steady.ready;
      const stops: Stop[] = [];
      for (let i = 0; i < cycles; i++) {
        const flapper = ctx.child(config);
        await flapper.ready;
        await scheduleDelay(EVERY_MS);
        stops.push(await stopChild(flapper, 'SIGTERM'));
        await scheduleDelay(EVERY_MS);
      }
      const acked = await producer.stop();
      await waitHandled(ctx, acked, 120_000);
      stops.push(await stopChild(steady, 'SIGTERM'));
      const joined = new Set(ctx.ledger().flatMap((e) => (e.ev === 'assigned' ? [e.pid] : []))).size;
      const bad = stops.filter((s) => s.exit.code !== 0);
      return {
        acked,
        dlq: await readDeadLetters(ctx.brokers, `${topic}.dlq`),
        samples: await sampler.stop(),
        judge: (m) => [noCommittedDuplicates(m)],
        criteria: [
          criterion('members really joined', joined >= 2, `${joined} processes got an assignment`),
          criterion(
            `all ${stops.length} stops exit 0`,
            bad.length === 0,
            bad.map(describeExit).join('; ') || 'ok',
          ),
        ],
      };
    },
  };
}
