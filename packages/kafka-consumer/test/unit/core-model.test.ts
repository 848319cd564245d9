import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConsumer, noopLogger } from '../../src/index.js';
import { ModelBroker } from './support/model-broker.js';

/**
 * Model-based: random interleavings of batch arrival, handler success and failure (retried, then
 * dead-lettered or held), release of a held partition, revoke and re-assignment, and commit
 * acknowledgement, transient failure or fencing, under every ordering and commit strategy. The
 * model broker checks at every event: no commit passes an unprocessed offset (its metadata lists
 * only processed ones); acknowledged commits never go backwards within a generation; a held
 * partition is never resumed while the consumer reports it held; no handler
 * starts during a revoke or for a partition not assigned; a timer scheduled at any step fires; and
 * after the run quiesces every record was processed and the group's commit reached the log end.
 */

const PARTITIONS = 2;
const LENGTH = 24;

const step = fc.oneof(
  fc.record({
    kind: fc.constant('fetch' as const),
    partition: fc.nat(PARTITIONS - 1),
    count: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ kind: fc.constant('succeed' as const), pick: fc.nat(20) }),
  fc.record({ kind: fc.constant('fail' as const), pick: fc.nat(20) }),
  fc.record({
    kind: fc.constant('commit' as const),
    how: fc.constantFrom('ack' as const, 'ack' as const, 'retriable' as const, 'fenced' as const),
  }),
  fc.record({ kind: fc.constant('release' as const), partition: fc.nat(PARTITIONS - 1) }),
  fc.record({
    kind: fc.constant('read' as const),
    count: fc.integer({ min: 1, max: 6 }),
    fail: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('rebalance' as const), keep: fc.subarray([0, 1], { minLength: 1 }) }),
);

const scenario = fc.record({
  ordering: fc.constantFrom('partition' as const, 'key' as const, 'unordered' as const),
  commit: fc.constantFrom('per-message' as const, 'per-batch' as const, 'interval' as const),
  deadLetter: fc.boolean(),
  concurrency: fc.integer({ min: 1, max: 4 }),
  maxUncommitted: fc.integer({ min: 1, max: 4 }),
  // A tiny metadata limit reaches the 'finished offsets no longer fit' path in a few messages.
  metadataLimit: fc.constantFrom(4000, 12),
  steps: fc.array(step, { maxLength: 40 }),
});

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A timer scheduled now fires (the event loop is not starved by a microtask loop). */
const timerFires = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('core model (fake client, random interleavings)', () => {
  it('holds the commit, generation and progress invariants under every ordering and strategy', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const broker = new ModelBroker(PARTITIONS, LENGTH, ['a', 'a', 'a', 'b', null]);
        broker.checkKeyOrder = s.ordering !== 'unordered';
        const c = createConsumer(
          {
            brokers: ['localhost:9092'],
            groupId: 'g',
            topics: ['t'],
            logger: noopLogger,
            shutdown: { signals: [], drainTimeoutMs: 1000 },
            ordering: s.ordering,
            concurrency: s.concurrency,
            maxBufferedPerPartition: 8,
            commit:
              s.commit === 'interval'
                ? { strategy: 'interval', intervalMs: 60_000 }
                : { strategy: s.commit, maxUncommitted: s.maxUncommitted },
            retry: { maxRetries: 1, initialDelayMs: 0, maxDelayMs: 0 },
            deadLetter: s.deadLetter ? { topic: 't.dlq', recoveryDelayMs: 60_000 } : false,
            handler: broker.handler as never,
          },
          { clientFactory: broker.factory, metadataLimit: s.metadataLimit },
        );
        c.on('error', () => undefined);
        broker.held = (partition) => c.health().stoppedPartitions.some((tp) => tp.partition === partition);
        // A dead-lettered record is finished: its offset may be committed.
        c.on('message.dead-lettered', (e) => broker.partitions[e.partition]?.processed.add(Number(e.offset)));
        await c.run();
        const settleAll = async () => {
          for (const call of broker.calls.splice(0)) call.resolve();
          while (broker.commits.length > 0) broker.settleCommit('ack');
          while (broker.reads.length > 0) broker.answerRead(6);
          await tick();
        };
        for (const action of s.steps) {
          if (action.kind === 'fetch') broker.fetch(action.partition, action.count);
          else if (action.kind === 'succeed' || action.kind === 'fail') {
            const [call] = broker.calls.splice(action.pick % Math.max(1, broker.calls.length), 1);
            if (action.kind === 'succeed') call?.resolve();
            else call?.reject(new Error('handler failed'));
          } else if (action.kind === 'commit') broker.settleCommit(action.how);
          else if (action.kind === 'release') c.resumePartition('t', action.partition);
          else if (action.kind === 'read') broker.answerRead(action.count, action.fail);
          else await broker.rebalance(action.keep, settleAll);
          await tick();
          await timerFires();
        }
        // Quiesce without a re-join: the partitions still assigned finish everything (a stall,
        // such as work parked behind a window nobody reopens, shows here); then every partition
        // comes back and everything is processed.
        const drain = async () => {
          const deadline = Date.now() + 3000;
          while (Date.now() < deadline) {
            for (const p of broker.partitions) {
              if (c.health().stoppedPartitions.some((tp) => tp.partition === p.partition))
                c.resumePartition('t', p.partition);
              broker.fetch(p.partition, 6);
            }
            await settleAll();
            const assigned = broker.partitions.filter((p) => p.assigned);
            const done = assigned.every((p) => p.processed.size === LENGTH && p.position >= LENGTH);
            if (done && broker.calls.length === 0 && c.health().inFlight === 0) return;
          }
        };
        await drain();
        for (const p of broker.partitions) {
          if (p.assigned && p.processed.size !== LENGTH)
            broker.violation(
              `partition ${p.partition} stalled at ${p.processed.size} of ${LENGTH} without a re-join`,
            );
        }
        await broker.rebalance([0, 1], settleAll);
        await drain();
        let stopped = false;
        const stopping = c.disconnect().then(() => {
          stopped = true;
        });
        while (!stopped) await settleAll();
        await stopping;
        expect(broker.violations.join('\n')).toBe('');
        for (const p of broker.partitions) {
          expect(p.processed.size, `partition ${p.partition} processed`).toBe(LENGTH);
        }
      }),
      {
        numRuns: Number(process.env.MODEL_RUNS ?? 1000),
        // A failure prints its seed and path: MODEL_SEED=<seed> MODEL_PATH=<path> replays it;
        // MODEL_CASE='<the counterexample's JSON object>' runs that case alone.
        ...(process.env.MODEL_CASE === undefined
          ? {}
          : { examples: [[JSON.parse(process.env.MODEL_CASE)]], numRuns: 0 }),
        ...(process.env.MODEL_SEED === undefined
          ? {}
          : { seed: Number(process.env.MODEL_SEED), path: process.env.MODEL_PATH }),
        interruptAfterTimeLimit: 55_000,
        markInterruptAsFailure: true,
      },
    );
  }, 70_000);
});
