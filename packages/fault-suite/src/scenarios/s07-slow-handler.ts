import { readDeadLetters } from '../dlq.js';
import { produceNumbered } from '../producer.js';
import { criterion } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import { type HandlerEntry, type LedgerEntry, STRATEGIES } from '../types.js';
import { describeExit, stopChild, waitHandled } from './steps.js';

const SESSION_MS = 6000;
const SLOW_MS = 14_000;

/** What member `pid` did around its slow call: the call, and what it logged until it re-joined. */
function afterSlowCall(ledger: readonly LedgerEntry[], pid: number, afterCalls: number) {
  const calls = ledger.filter((e): e is HandlerEntry => e.ev === 'call' && e.pid === pid);
  const slow = calls[afterCalls];
  const start = slow === undefined ? -1 : ledger.indexOf(slow);
  const rest = start < 0 ? [] : ledger.slice(start + 1).filter((e) => e.pid === pid);
  const rejoin = rest.findIndex((e) => e.ev === 'assigned');
  const beforeRejoin = rejoin < 0 ? rest : rest.slice(0, rejoin);
  const doneAt = beforeRejoin.findIndex((e) => e.ev === 'done' && e.id === slow?.id);
  const afterDone = doneAt < 0 ? [] : beforeRejoin.slice(doneAt + 1);
  return {
    slow,
    // A fenced commit is a RebalanceError (code REBALANCING); other commit failures are COMMIT_FAILED.
    commitFailed: rest.some(
      (e) => e.ev === 'error' && (e.code === 'COMMIT_FAILED' || e.code === 'REBALANCING'),
    ),
    lateCommits: afterDone.filter((e) => e.ev === 'commit').length,
  };
}

/**
 * 7. A handler slower than the session timeout (member A sleeps 14 s without heartbeating, session
 * 6 s, a second member B in the group). Under every ordering the batch call returned long before
 * (one scheduler runs them all) and the client keeps heartbeating: A is not fenced; when B joins,
 * A's JoinGroup waits for the slow handler (heartbeating), commits it, then re-joins: completed
 * once, 0 lost. (Under the first core design 'partition' ran the handler inside KafkaJS's batch
 * call: A was fenced and the slow message completed twice.)
 */
export function slowHandler(perPartition = 40): ScenarioDefinition {
  return {
    id: 7,
    title: 'handler > session timeout',
    strategies: STRATEGIES,
    run: async (ctx) => {
      const topic = await ctx.topic('fault-slow', 2);
      ctx.owns(`${topic}.dlq`);
      const acked = await produceNumbered(ctx.brokers, topic, 2, perPartition);
      const sampler = await ctx.sampler(topic);
      const base = { sessionTimeoutMs: SESSION_MS, heartbeatIntervalMs: 500 };
      const slowOnce = { afterCalls: 3, ms: SLOW_MS };
      const a = ctx.child(ctx.childConfig(topic, { ...base, behaviour: { delayMs: 50, slowOnce } }));
      await a.ready;
      const b = ctx.child(ctx.childConfig(topic, { ...base, behaviour: { delayMs: 50 } }));
      await b.ready;
      await waitHandled(ctx, acked, 120_000);
      const stopA = await stopChild(a, 'SIGTERM');
      const stopB = await stopChild(b, 'SIGTERM');
      const ledger = ctx.ledger();
      const seen = afterSlowCall(ledger, a.pid, slowOnce.afterCalls);
      const completions = ledger.filter((e) => e.ev === 'done' && e.id === seen.slow?.id).length;
      return {
        acked,
        dlq: await readDeadLetters(ctx.brokers, `${topic}.dlq`),
        samples: await sampler.stop(),
        criteria: [
          criterion('the slow call happened', seen.slow !== undefined, `slow message ${seen.slow?.id}`),
          // Every ordering runs on the scheduler: the batch call returned long before, so the
          // client keeps heartbeating and the member is not fenced.
          criterion('not fenced: no commit failed', !seen.commitFailed, `${seen.commitFailed}`),
          criterion('slow message completed once', completions === 1, `${completions}`),
          criterion(
            'both members exit 0',
            stopA.exit.code === 0 && stopB.exit.code === 0,
            `A ${describeExit(stopA)}; B ${describeExit(stopB)}`,
          ),
        ],
      };
    },
  };
}
