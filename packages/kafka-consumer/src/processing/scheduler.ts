import type { ClientBatch, ConsumerClient } from '../client/port.js';
import type { CommitPipeline } from '../commit/pipeline.js';
import type { CommitStrategy } from '../commit/strategy.js';
import { RebalanceError } from '../errors.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../logger.js';
import type { ConsumedMessage, TopicPartition } from '../types.js';
import { drainedEnough, holdBack, overFull } from './back-pressure.js';
import { type Item, type Lane, type LaneOf, newLane, type PartitionWork } from './lanes.js';
import type { ConcurrencyLimit } from './limit.js';
import type { MessageProcessor, Outcome } from './message.js';
import type { OffsetTracker } from './offsets.js';
import type { TrackedAt } from './partition-track.js';
import { PartitionWorks } from './partition-works.js';
import type { PartitionControl } from './partitions.js';
import { ArrivalHeap } from './queue.js';
import { Refiller } from './refill.js';
import { loadFinishedAbove } from './skip-load.js';
import { mustWait } from './window.js';
import { WorkCounter } from './work.js';

export interface SchedulerParts {
  laneOf: LaneOf;
  /** Most handler calls in flight in the whole consumer (shared with the processor's backoff). */
  limit: ConcurrencyLimit;
  /** Buffered (not yet finished) messages of a partition above which its fetch is paused. */
  maxBuffered: number;
  /** Offsets a partition tracks past its lowest unfinished one above which its fetch is paused. */
  maxTracked: number;
  /** Waiting messages one lane keeps before it lets the later ones go (Infinity: never). */
  laneCap: number;
  /** per-message: finished-but-unacknowledged messages of a partition before it waits. */
  maxUncommitted: number;
  /** How often a batch call held back by a full buffer heartbeats. */
  heartbeatIntervalMs: number;
  /** Bound of the committed-metadata read on a new assignment. */
  metadataTimeoutMs: number;
  tracker: OffsetTracker;
  pipeline: CommitPipeline;
  strategy: CommitStrategy;
  control: PartitionControl;
  processor: MessageProcessor<unknown>;
  lifecycle: Lifecycle;
  client: ConsumerClient;
  logger: Logger;
}

/**
 * The one work loop, for every ordering. A batch is handed over and the client's call returns at
 * once (fetching goes on while handlers run); each message joins its lane (`laneOf`), a lane's
 * messages run one at a time in offset order, ready lanes run in arrival order up to the
 * consumer-wide limit. Back-pressure (a full buffer pauses the fetch), the per-message commit
 * window and the requests to the commit pipeline live here and nowhere else. Nothing here waits
 * by polling: the loop runs again on a finish, a free slot, a settled commit or a new batch.
 */
export class Scheduler {
  lastProgressAt: number | null = null;
  /** Handler calls started and not finished (backoff included): the one in-flight count. */
  readonly work = new WorkCounter();
  readonly #ready = new ArrivalHeap<Item>();
  readonly #partitions: PartitionWorks;
  #seq = 0;
  #pumping = false;
  /** Reading the committed metadata of a new assignment (bounded); batches wait for it. */
  #loading: Promise<void> | undefined;

  readonly #refiller: Refiller;

  constructor(private readonly parts: SchedulerParts) {
    parts.limit.onFreed(() => this.#pump());
    this.#partitions = new PartitionWorks({ ...parts, generation: () => parts.lifecycle.generation.id });
    this.#refiller = new Refiller(
      parts,
      (part, lane, message, at, batch) => this.#takeBack(part, lane, message, at, batch),
      (part) => this.#partitions.live(part),
      (part) => {
        // A read is a batch of the let-go messages: per-batch commits what became committable.
        if (parts.strategy.afterBatch && !parts.strategy.afterMessage) parts.pipeline.request('batch');
        this.#unpark(part);
        this.#pump();
      },
    );
  }

  get inFlight(): number {
    return this.work.running;
  }

  readonly onBatch = async (batch: ClientBatch): Promise<void> => {
    const { lifecycle, control, strategy, pipeline, laneOf } = this.parts;
    if (this.#loading !== undefined) await this.#loading;
    if (!lifecycle.accepting || control.isPaused(batch.topic, batch.partition)) return;
    const part = this.#partitions.of(batch);
    const { messages } = batch;
    const track = part.offsets.add(messages);
    const skip = part.offsets.skip;
    const refiller = this.#refiller.enabled ? this.#refiller : undefined;
    for (let index = 0; index < messages.length; index++) {
      const message = messages[index] as ConsumedMessage;
      if (skip?.has(message.offset)) {
        part.offsets.finish(track, index);
        continue;
      }
      const laneId = laneOf(message);
      let lane = laneId === undefined ? undefined : part.lanes.get(laneId);
      if (lane === undefined && laneId !== undefined) {
        lane = newLane(laneId);
        part.lanes.set(laneId, lane);
      }
      if (lane !== undefined && refiller?.drops(lane)) {
        // A hot key: its later messages are let go (offset only) and read again once it drained.
        part.offsets.drop(track, index);
        lane.dropped++;
        lane.dropFrom ??= message.offset;
        continue;
      }
      part.buffered++;
      this.#enqueue({ seq: this.#seq++, batch, message, track, index, lane, part });
    }
    if (messages.length > 0) batch.resolveOffset((messages[messages.length - 1] as ConsumedMessage).offset);
    // per-batch: batches of a partition may finish out of order; each new one also commits what
    // became committable since the last.
    if (strategy.afterBatch && !strategy.afterMessage) pipeline.request('batch');
    this.#pump();
    if (!overFull(this.parts, part)) return;
    // Handlers that finish at once (within microtasks) get one turn of the event loop first: a
    // fetch larger than the buffer then pauses nothing (a pause per batch made KafkaJS sleep a
    // whole maxWaitTime whenever every partition of a broker happened to be paused).
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (overFull(this.parts, part)) await holdBack(this.parts, part, batch);
  };

  /** Runs `item` when its lane is free, else queues it behind the lane's running one. */
  #enqueue(item: Item): void {
    const { lane } = item;
    if (lane === undefined) this.#ready.push(item);
    else if (lane.active) lane.push(item);
    else {
      lane.active = true;
      this.#ready.push(item);
    }
  }

  #takeBack(
    part: PartitionWork,
    lane: Lane,
    message: ConsumedMessage,
    at: TrackedAt,
    batch: ClientBatch,
  ): void {
    part.buffered++;
    this.#enqueue({ seq: this.#seq++, batch, message, track: at.track, index: at.index, lane, part });
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      const { limit, lifecycle, control } = this.parts;
      while (this.#ready.length > 0) {
        if (!lifecycle.accepting || !limit.tryTake()) return;
        const item = this.#ready.shift() as Item;
        const { part } = item;
        if (part.ended || part.generation !== lifecycle.generation.id || !item.batch.isActive()) {
          limit.release();
        } else if (control.isPaused(part.tp.topic, part.tp.partition)) {
          limit.release();
          this.#drop(item);
        } else if (mustWait(this.parts, item)) {
          limit.release();
          part.parked.push(item);
        } else this.#start(item);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** A commit settled or a partition's head moved: parked messages may run again. */
  readonly commitSettled = (): void => {
    for (const part of this.#partitions.values()) this.#unpark(part);
    this.#pump();
  };

  #unpark(part: PartitionWork): void {
    if (part.parked.length === 0) return;
    for (const item of part.parked.splice(0)) this.#ready.push(item);
  }

  #start(item: Item): void {
    const { part } = item;
    this.work.begin();
    part.running++;
    let outcome: Outcome | Promise<Outcome>;
    try {
      outcome = this.parts.processor.process(item.batch, item.message, this.parts.lifecycle.generation);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    if (typeof outcome === 'string') this.#finish(item, outcome);
    else
      outcome.then(
        (result) => this.#finish(item, result),
        (error: unknown) => {
          // The handler's own heartbeat found the group rebalancing: start nothing more until the
          // re-join (the client re-joins on its next heartbeat); this message comes again.
          this.parts.logger.debug({ err: error }, 'handler call ended by a rebalance');
          if (error instanceof RebalanceError && this.parts.lifecycle.state === 'running')
            this.parts.lifecycle.to('rebalancing');
          this.#finish(item, 'halt');
        },
      );
  }

  #finish(item: Item, outcome: Outcome): void {
    const { part } = item;
    const { strategy, pipeline, lifecycle, control, limit } = this.parts;
    limit.release();
    part.running--;
    part.buffered--;
    item.batch.acknowledge?.(item.message, outcome === 'done' ? 'accept' : 'release');
    if (outcome === 'done' && part.generation === lifecycle.generation.id) {
      const moved = part.offsets.finish(item.track, item.index);
      this.lastProgressAt = Date.now();
      if (strategy.afterMessage) pipeline.request('message');
      else if (strategy.afterBatch && item.track.head >= item.track.end) pipeline.request('batch');
      if (moved) this.#unpark(part);
    } else if (outcome === 'halt' && strategy.afterBatch && lifecycle.accepting) {
      // The partition stops here (held): what finished before it is committed.
      pipeline.request('batch');
    }
    const lane = item.lane;
    if (lane !== undefined) {
      // After a halt the lane's later messages must not overtake the unfinished one: dropped
      // (they are fetched again from the lowest unfinished offset).
      const next = lane.shift();
      if (next === undefined) {
        lane.active = false;
        if (lane.dropped === 0) part.lanes.delete(lane.id);
      } else if (outcome === 'halt') this.#drop(next);
      else this.#ready.push(next);
      if (outcome !== 'halt') this.#refiller.drained(part, lane);
    }
    if (drainedEnough(this.parts, part)) {
      part.drained?.();
      if (lifecycle.accepting) control.unpause(part.tp, 'back-pressure');
    }
    if (part.running === 0) part.idle?.();
    this.work.end();
    this.#pump();
  }

  /** A held partition: its waiting messages are dropped (fetched again when it is released). */
  #drop(item: Item): void {
    item.part.buffered--;
    const next = item.lane?.shift();
    if (next !== undefined) this.#drop(next);
    else if (item.lane !== undefined) {
      item.lane.active = false;
      item.part.lanes.delete(item.lane.id);
    }
  }

  /** Partitions blocked behind an unfinished head (see window.ts). */
  blocked(): Array<TopicPartition & { offset: string; since: number }> {
    return this.#partitions.blocked(this.parts.maxUncommitted);
  }

  /**
   * A new assignment: read the committed offsets' metadata (bounded), so messages that finished
   * above the committed offset before a restart or rebalance are skipped when they come again.
   */
  assigned(assigned: readonly TopicPartition[]): void {
    this.clear();
    const { client, tracker, logger, metadataTimeoutMs } = this.parts;
    const loading = loadFinishedAbove(client, tracker, assigned, logger, metadataTimeoutMs).finally(() => {
      if (this.#loading === loading) this.#loading = undefined;
    });
    this.#loading = loading;
  }

  /** Revoke / shutdown: start nothing more; waiting messages are dropped (fetched again). */
  clear(): void {
    this.#ready.clear();
    this.#partitions.clear();
  }

  /**
   * A held partition is released (or a tier partition's head is due): fetched again from its lowest
   * unfinished offset (see PartitionWorks).
   */
  rewind(tp: TopicPartition, reason: 'hold' | 'due' = 'hold'): Promise<void> {
    return this.#partitions.rewind(tp, reason);
  }
}
