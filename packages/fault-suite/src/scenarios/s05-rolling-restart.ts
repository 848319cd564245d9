import { readDeadLetters } from '../dlq.js';
import { criterion, noCommittedDuplicates } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import { STRATEGIES } from '../types.js';
import { describeExit, type Stop, startLoad, stopChild, waitHandled } from './steps.js';

const PARTITIONS = 6;
const MEMBERS = 3;

/**
 * 5. Rolling restart of a 3-member group, 5 rounds (SIGTERM one member, start its replacement,
 * wait until it joined, next), producer running: 0 lost; duplicates only from in-flight messages
 * (none of a message whose offset a logged commit covered); every stop exits 0.
 */
export function rollingRestart(rounds = 5): ScenarioDefinition {
  return {
    id: 5,
    title: `rolling restart 3x${rounds}`,
    strategies: STRATEGIES,
    run: async (ctx) => {
      const { topic, producer, sampler, config } = await startLoad(ctx, 'fault-rolling', {
        partitions: PARTITIONS,
        perTick: 5,
        delayMs: 5,
      });
      const members = Array.from({ length: MEMBERS }, () => ctx.child(config));
      await Promise.all(members.map((m) => m.ready));
      const stops: Stop[] = [];
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < MEMBERS; i++) {
          const old = members[i];
          if (old === undefined) continue;
          stops.push(await stopChild(old, 'SIGTERM'));
          const fresh = ctx.child(config);
          members[i] = fresh;
          await fresh.ready;
        }
      }
      const acked = await producer.stop();
      await waitHandled(ctx, acked, 120_000);
      for (const m of members) stops.push(await stopChild(m, 'SIGTERM'));
      const bad = stops.filter((s) => s.exit.code !== 0);
      return {
        acked,
        dlq: await readDeadLetters(ctx.brokers, `${topic}.dlq`),
        samples: await sampler.stop(),
        judge: (m) => [noCommittedDuplicates(m)],
        criteria: [
          criterion(
            `all ${stops.length} stops exit 0`,
            bad.length === 0,
            bad.length === 0
              ? `max ${Math.max(...stops.map((s) => s.ms))} ms`
              : bad.map(describeExit).join('; '),
          ),
        ],
      };
    },
  };
}
