/**
 * The runtime's client port on a share session: what `createShareConsumer` plugs into the same
 * scheduler, handler call and outcome path as a consumer group. Each fetch is handed over as one
 * batch per partition (ShareRecords are ConsumedMessages, with `deliveryCount`); each message's
 * outcome comes back through `batch.acknowledge` and becomes ACCEPT, RELEASE or REJECT. There are
 * no offsets to commit and no rebalance to wait for: `commit` and `heartbeat` do nothing, and
 * `seek` only releases the records the scheduler dropped. Locks of records still held (a handler
 * running, a retry waiting, the buffer) are renewed at half their duration (`LockRenewer`, Kafka
 * 4.2+); `stop()` releases every record that did not finish and leaves the group.
 */

import type {
  ClientBatch,
  ClientHooks,
  CommittedOffset,
  ConsumerClient,
  EndOffsets,
} from '../client/port.js';
import { ClientError, toError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PendingOffset } from '../processing/offsets.js';
import type { TopicPartition } from '../types.js';
import { LockRenewer } from './lock-renewer.js';
import type { ShareRecord } from './records.js';
import { openShareSession, type ShareSession, type ShareSessionOptions } from './session.js';

const idOf = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;
const sameAssignment = (a: readonly TopicPartition[], b: readonly TopicPartition[]) =>
  a.length === b.length && a.map(idOf).sort().join('|') === b.map(idOf).sort().join('|');

export class ShareConsumerClient implements ConsumerClient {
  readonly #options: ShareSessionOptions;
  readonly #logger: Logger;
  #session: ShareSession | undefined;
  #renewer: LockRenewer | undefined;
  #loop: Promise<void> | undefined;
  #stopped = false;
  readonly #paused = new Set<string>();
  #resumed: (() => void) | undefined;

  constructor(options: ShareSessionOptions, logger: Logger) {
    this.#options = options;
    this.#logger = logger;
  }

  async connect(): Promise<void> {
    this.#stopped = false;
  }

  async start(hooks: ClientHooks): Promise<void> {
    const session = await openShareSession(this.#options);
    this.#session = session;
    this.#renewer = new LockRenewer(session, this.#logger);
    this.#renewer.start();
    void session.fatal.then((error) => {
      if (!this.#stopped) hooks.onCrash(error, false);
    });
    // Share assignments change as members come and go without revoking anything: the first one
    // starts the runtime's generation, each later one is only reported (health, group.rebalanced).
    let current: TopicPartition[] | undefined;
    let early: TopicPartition[] | undefined;
    const changed = (assigned: TopicPartition[]) => {
      if (this.#stopped || current === undefined || sameAssignment(current, assigned)) return;
      current = assigned;
      hooks.onAssignmentChanged?.(assigned);
    };
    session.onAssignment((assigned) => {
      if (current === undefined) early = assigned;
      else changed(assigned);
    });
    current = await session.assigned(this.#options.joinTimeoutMs ?? 30_000);
    hooks.onAssigned(current);
    if (early !== undefined) changed(early);
    this.#loop = this.#run(session, hooks).catch((error: unknown) => {
      if (!this.#stopped)
        hooks.onCrash(
          new ClientError(`share fetch failed: ${toError(error).message}`, { cause: error }),
          false,
        );
    });
  }

  async #run(session: ShareSession, hooks: ClientHooks): Promise<void> {
    while (!this.#stopped) {
      if (this.#paused.size > 0) {
        // Back-pressure or drain: fetch nothing until resumed (bounded: the loop looks again).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          this.#resumed = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        continue;
      }
      const records = await session.fetch();
      const byPartition = new Map<string, ShareRecord[]>();
      for (const r of records) {
        const key = idOf(r);
        const list = byPartition.get(key);
        if (list === undefined) byPartition.set(key, [r]);
        else list.push(r);
      }
      for (const list of byPartition.values()) {
        if (this.#stopped) break;
        await hooks.onBatch(this.#batch(session, list));
      }
    }
  }

  #batch(session: ShareSession, records: ShareRecord[]): ClientBatch {
    const first = records[0] as ShareRecord;
    return {
      topic: first.topic,
      partition: first.partition,
      messages: records,
      highWatermark: '-1',
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
      isActive: () => !this.#stopped,
      acknowledge: (message, outcome) => {
        session
          .acknowledge([message as ShareRecord], outcome)
          .catch((error: unknown) =>
            this.#logger.warn(
              { err: error, offset: message.offset },
              'acknowledgement not taken; the record is delivered again',
            ),
          );
      },
    };
  }

  /** Nothing to commit: acknowledgements are the share group's progress. */
  async commit(_offsets: readonly PendingOffset[]): Promise<void> {
    // nothing to do
  }

  /** A share group commits nothing: no position to resume from, no metadata (the processing path). */
  async committed(partitions: readonly TopicPartition[]): Promise<CommittedOffset[]> {
    return partitions.map((p) => ({ ...p, offset: '-1', metadata: null }));
  }

  /** Log start and end offsets, for `readOffsets()` (lag gauges, health). */
  async endOffsets(topics: readonly string[]): Promise<EndOffsets[]> {
    return this.#running().endOffsets([...new Set(topics)]);
  }

  /**
   * Where the group stands for lag (`readOffsets()`): the offset below which everything counts as
   * acknowledged, log end - the broker's share lag (DescribeShareGroupOffsets v1), or the
   * share-partition start offset when it reports no lag; '-1' before the partition's first fetch.
   */
  async lagPositions(ends: readonly EndOffsets[]): Promise<CommittedOffset[]> {
    const known = new Map((await this.#running().shareOffsets()).map((o) => [idOf(o), o]));
    return ends.map((e) => {
      const o = known.get(idOf(e));
      const base = { topic: e.topic, partition: e.partition, metadata: null };
      if (o === undefined || o.startOffset < 0n) return { ...base, offset: '-1' };
      return { ...base, offset: String(o.lag >= 0n ? BigInt(e.end) - o.lag : o.startOffset) };
    });
  }

  #running(): ShareSession {
    if (this.#session === undefined)
      throw new ClientError('the share consumer is not running', { retriable: true });
    return this.#session;
  }

  /** The membership heartbeats by itself. */
  async heartbeat(): Promise<void> {
    // nothing to do
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.#paused.add(idOf(p));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.#paused.delete(idOf(p));
    if (this.#paused.size === 0) this.#resumed?.();
  }

  /**
   * The runtime re-reads a partition after a hold (a failed dead-letter write) once none of its
   * handlers runs: the records it had dropped are released, so they come again now rather than
   * when their locks run out. There is no position to move.
   */
  seek(tp: TopicPartition): void {
    const session = this.#session;
    if (session === undefined) return;
    const dropped = session.held().filter((r) => r.topic === tp.topic && r.partition === tp.partition);
    if (dropped.length > 0) session.acknowledge(dropped, 'release').catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#resumed?.();
    await this.#loop;
    this.#renewer?.stop();
    await this.#session?.close();
    this.#session = undefined;
  }
}
