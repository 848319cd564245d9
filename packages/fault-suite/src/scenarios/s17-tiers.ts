import { retryTierTopicName } from '@kafkakit/kafka-consumer/naming';
import { waitFor } from '@kafkakit/kafka-testkit';
import { readDeadLetters } from '../dlq.js';
import { criterion, noCommittedDuplicates } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import type { CommitStrategy, HandlerEntry, LedgerEntry } from '../types.js';
import { describeExit, startLoad, stopChild, waitHandled } from './steps.js';

const PARTITIONS = 3;
const TIERS = ['1s', '2s'];
/** Of every 10 messages `p:s`: s % 10 === 3 fails once, === 7 fails twice (20 % go through tiers). */
const FLAKY = { modulo: 10, once: 3, twice: 7 };

const failuresOf = (id: string): number => {
  const r = Number(id.split(':')[1]) % FLAKY.modulo;
  return r === FLAKY.twice ? 2 : r === FLAKY.once ? 1 : 0;
};

/** Ids whose latest handler call failed and that no call completed yet: waiting in a tier. */
function waitingInTiers(ledger: readonly LedgerEntry[]): number {
  const done = new Set<string>();
  const failed = new Set<string>();
  for (const e of ledger) {
    if (e.ev === 'done') done.add(e.id);
    else if (e.ev === 'fail') failed.add(e.id);
  }
  let waiting = 0;
  for (const id of failed) if (!done.has(id)) waiting++;
  return waiting;
}

/**
 * 17. Tiered retry under SIGKILL: a fifth of the messages fail once or twice and succeed through
 * the retry tiers (1 s, 2 s; no in-place retries), while the consumer is SIGKILLed `killCount`
 * times, each time with messages waiting in a tier, the producer running. 0 lost (every acknowledged
 * message completed), nothing dead-lettered, and every flaky message completed at the attempt its
 * failures say (the attempt carries on through the tiers, also across a kill).
 */
export function tieredRetrySigkill(
  killCount = 4,
  strategies: readonly CommitStrategy[] = ['per-message', 'per-batch'],
): ScenarioDefinition {
  return {
    id: 17,
    title: `tiered retry: SIGKILL x${killCount}`,
    strategies,
    run: async (ctx) => {
      const load = await startLoad(ctx, 'fault-tiers', { partitions: PARTITIONS, perTick: 10, delayMs: 1 });
      for (const delay of [1000, 2000]) ctx.owns(retryTierTopicName(load.topic, ctx.groupId, delay));
      const config = {
        ...load.config,
        retry: { maxRetries: 0, initialDelayMs: 10, maxDelayMs: 50 },
        retryTopics: TIERS,
        behaviour: { ...load.config.behaviour, flaky: FLAKY },
      };
      const kills: string[] = [];
      const waitingAtKill: number[] = [];
      for (let i = 0; i < killCount; i++) {
        const child = ctx.child(config);
        await child.ready;
        // Kill while messages wait in a tier: some failed since this child started and are not done.
        const before = ctx.ledger().filter((e) => e.ev === 'fail' && e.pid === child.pid).length;
        await waitFor(
          () => {
            const ledger = ctx.ledger();
            return (
              ledger.filter((e) => e.ev === 'fail' && e.pid === child.pid).length >= before + 5 &&
              waitingInTiers(ledger) > 0
            );
          },
          { timeoutMs: 60_000, intervalMs: 50, message: 'messages waiting in a tier' },
        );
        waitingAtKill.push(waitingInTiers(ctx.ledger()));
        kills.push(describeExit(await stopChild(child, 'SIGKILL')));
      }
      const acked = await load.producer.stop();
      const last = ctx.child(config);
      await last.ready;
      await waitHandled(ctx, acked, 180_000);
      const final = await stopChild(last, 'SIGTERM');
      const done = ctx.ledger().filter((e): e is HandlerEntry => e.ev === 'done');
      const flaky = acked.filter((m) => failuresOf(m.id) > 0);
      const wrongAttempt = done.filter((e) => e.a !== failuresOf(e.id) + 1);
      const tiered = done.filter((e) => e.t !== load.topic).length;
      const dlq = await readDeadLetters(ctx.brokers, `${load.topic}.dlq`);
      return {
        acked,
        dlq,
        samples: await load.sampler.stop(),
        judge: (m) => [noCommittedDuplicates(m)],
        notes: `flaky ${flaky.length}, completed from a tier ${tiered}, waiting at kills [${waitingAtKill.join(', ')}]`,
        criteria: [
          criterion(
            `${kills.length} SIGKILLs, each with messages waiting in a tier`,
            kills.length === killCount && waitingAtKill.every((n) => n > 0),
            `${kills.join('; ')}; waiting [${waitingAtKill.join(', ')}]`,
          ),
          criterion('nothing dead-lettered', dlq.length === 0, `${dlq.length} DLQ records`),
          criterion(
            'every completion at the attempt its failures say (carried on through the tiers)',
            wrongAttempt.length === 0 && tiered > 0,
            wrongAttempt.length === 0
              ? `${done.length} completions, ${tiered} from a tier`
              : `e.g. ${wrongAttempt
                  .slice(0, 3)
                  .map((e) => `${e.id}@${e.a}`)
                  .join(', ')}`,
          ),
          criterion('last consumer exits 0', final.exit.code === 0, describeExit(final)),
        ],
      };
    },
  };
}
