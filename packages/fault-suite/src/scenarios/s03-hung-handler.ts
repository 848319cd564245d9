import { EXIT_CODES } from '@kafkakit/kafka-consumer';
import { waitFor } from '@kafkakit/kafka-testkit';
import { readDeadLetters } from '../dlq.js';
import { produceNumbered } from '../producer.js';
import { criterion } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import { STRATEGIES } from '../types.js';
import { describeExit, stopChild, waitHandled } from './steps.js';

const DRAIN_MS = 2000;
/** Past the drain deadline the runtime may still commit and leave the group; this bounds that. */
const EXIT_SLACK_MS = 3000;

/**
 * 3. SIGTERM while a handler hangs: forced exit after the drain timeout with a distinct non-zero
 * exit code; the hung message is redelivered; 0 lost.
 */
export function sigtermHungHandler(perPartition = 30): ScenarioDefinition {
  return {
    id: 3,
    title: 'SIGTERM, handler hangs',
    strategies: STRATEGIES,
    run: async (ctx) => {
      const topic = await ctx.topic('fault-hang', 3);
      ctx.owns(`${topic}.dlq`);
      const acked = await produceNumbered(ctx.brokers, topic, 3, perPartition);
      const sampler = await ctx.sampler(topic);
      const hangIds = [0, 1, 2].map((p) => `${p}:5`);
      const first = ctx.child(
        ctx.childConfig(topic, { drainTimeoutMs: DRAIN_MS, behaviour: { delayMs: 5, hangIds } }),
      );
      await first.ready;
      const findHung = (): string | undefined => {
        const call = ctx.ledger().find((e) => e.ev === 'call' && hangIds.includes(e.id));
        return call?.ev === 'call' ? call.id : undefined;
      };
      let hung: string | undefined;
      await waitFor(
        () => {
          hung = findHung();
          return hung !== undefined;
        },
        {
          timeoutMs: 60_000,
          message: 'a handler call that hangs',
        },
      );
      const stop = await stopChild(first, 'SIGTERM');
      const second = ctx.child(
        ctx.childConfig(topic, { drainTimeoutMs: DRAIN_MS, behaviour: { delayMs: 5 } }),
      );
      await second.ready;
      await waitHandled(ctx, acked, 120_000);
      const final = await stopChild(second, 'SIGTERM');
      const redelivered = ctx.ledger().some((e) => e.ev === 'done' && e.id === hung && e.pid === second.pid);
      const distinct = new Set<number>([EXIT_CODES.OK, EXIT_CODES.CRASH, EXIT_CODES.FORCED]);
      return {
        acked,
        dlq: await readDeadLetters(ctx.brokers, `${topic}.dlq`),
        samples: await sampler.stop(),
        criteria: [
          criterion(
            `forced exit with a distinct non-zero code after the drain timeout (${DRAIN_MS} ms)`,
            stop.exit.code !== null &&
              !distinct.has(stop.exit.code) &&
              stop.exit.code === EXIT_CODES.DRAIN_TIMEOUT &&
              stop.ms >= DRAIN_MS &&
              stop.ms <= DRAIN_MS + EXIT_SLACK_MS,
            `${describeExit(stop)} (expected ${EXIT_CODES.DRAIN_TIMEOUT} within ${DRAIN_MS}-${DRAIN_MS + EXIT_SLACK_MS} ms)`,
          ),
          criterion('hung message redelivered and completed', redelivered, `hung ${hung}`),
          criterion('restarted consumer exits 0', final.exit.code === 0, describeExit(final)),
        ],
      };
    },
  };
}
