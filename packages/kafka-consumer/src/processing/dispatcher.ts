import type { ClientBatch, ConsumerClient } from '../client/port.js';
import type { Logger } from '../logger.js';
import type { ConsumedMessage, TopicPartition } from '../types.js';
import type { ConcurrencyLimit } from './limit.js';
import type { Outcome } from './message.js';
import type { BatchTrack, PartitionTrack } from './offsets.js';
import { ArrivalHeap, Fifo } from './queue.js';
import { loadFinishedAbove } from './skip-load.js';
import { WorkCounter, type WorkParts } from './work.js';

export interface DispatcherParts extends WorkParts {
  ordering: 'key' | 'unordered';
  /** Most handler calls in flight in the whole consumer (shared with the processor's backoff). */
  limit: ConcurrencyLimit;
  /** Buffered (not yet finished) messages of a partition above which its fetch is paused. */
  maxBuffered: number;
  /** How often a batch call held back by a full buffer heartbeats. */
  heartbeatIntervalMs: number;
  client: ConsumerClient;
  logger: Logger;
}

interface Item {
  /** Arrival number: the order messages run in when their keys are free. */
  readonly seq: number;
  readonly batch: ClientBatch;
  readonly message: ConsumedMessage;
  readonly track: BatchTrack;
  readonly index: number;
  readonly lane: Lane | undefined;
  readonly part: PartitionWork;
}

/** The messages of one key waiting behind the one that runs. */
type Lane = Fifo<Item> & { keyId: string | null };

/** One partition's buffered work. */
interface PartitionWork {
  readonly tp: TopicPartition;
  readonly offsets: PartitionTrack;
  readonly lanes: Map<string | null, Lane>;
  buffered: number;
  running: number;
  paused: boolean;
  generation: number;
  /** Wakes a batch call held back by a full buffer. */
  drained: (() => void) | undefined;
}

/**
 * `ordering: 'key' | 'unordered'`: a batch is handed over and the client's call returns at once,
 * so fetching continues while slow keys run. Messages of one key (byte-equal; null is one key per
 * partition) run one at a time in offset order ('key'); any message may run beside any other
 * ('unordered'); at most `concurrency` handler calls run in the consumer. A partition whose
 * buffered messages reach `maxBuffered` has its fetch paused until half of them finished.
 */
export class Dispatcher {
  lastProgressAt: number | null = null;
  readonly work = new WorkCounter();
  readonly #ready = new ArrivalHeap<Item>();
  #seq = 0;
  readonly #partitions = new Map<string, PartitionWork>();
  #pumping = false;
  /** Handler calls started and not finished (in backoff included). */
  #running = 0;
  /** Reading the committed metadata of a new assignment; batches wait for it. */
  #loading: Promise<void> | undefined;

  constructor(private readonly parts: DispatcherParts) {
    parts.limit.onFreed(() => this.#pump());
  }

  get inFlight(): number {
    return this.#running;
  }

  readonly onBatch = async (batch: ClientBatch): Promise<void> => {
    const { lifecycle, control } = this.parts;
    if (this.#loading !== undefined) await this.#loading;
    if (!lifecycle.accepting || control.isPaused(batch.topic, batch.partition)) return;
    const part = this.#partition(batch);
    const { messages } = batch;
    const track = part.offsets.add(messages);
    const skip = part.offsets.skip;
    const keyed = this.parts.ordering === 'key';
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as ConsumedMessage;
      if (skip?.has(message.offset)) {
        part.offsets.finish(track, i);
        continue;
      }
      part.buffered++;
      let lane: Lane | undefined;
      if (keyed) {
        const keyId = message.key === null ? null : message.key.toString('latin1');
        lane = part.lanes.get(keyId);
        if (lane === undefined) {
          lane = Object.assign(new Fifo<Item>(), { keyId });
          part.lanes.set(keyId, lane);
          this.#ready.push({ seq: this.#seq++, batch, message, track, index: i, lane, part });
        } else lane.push({ seq: this.#seq++, batch, message, track, index: i, lane, part });
      } else this.#ready.push({ seq: this.#seq++, batch, message, track, index: i, lane: undefined, part });
    }
    if (messages.length > 0) batch.resolveOffset((messages[messages.length - 1] as ConsumedMessage).offset);
    // per-batch under key/unordered: a batch may finish after later ones started; each new batch
    // of a partition also commits what became committable since the last one.
    if (this.parts.strategy.afterBatch && !this.parts.strategy.afterMessage)
      this.parts.pipeline.request('batch');
    this.#pump();
    if (part.buffered >= this.parts.maxBuffered) await this.#holdBack(part, batch);
  };

  /**
   * A full buffer: pause this partition's fetch while others can still be fetched. When every
   * assigned partition would be paused, KafkaJS would sleep a whole maxWaitTime before its next
   * fetch (a resume does not cut it short), so the batch call itself waits instead, heartbeating,
   * until half the buffer drained; fetching then goes on at once.
   */
  async #holdBack(part: PartitionWork, batch: ClientBatch): Promise<void> {
    const { client, control, lifecycle, maxBuffered, heartbeatIntervalMs } = this.parts;
    let paused = 0;
    for (const p of this.#partitions.values()) if (p.paused && p.generation === part.generation) paused++;
    if (!part.paused && paused + 1 < control.assigned.length) {
      part.paused = true;
      client.pause([part.tp]);
      return;
    }
    while (part.buffered * 2 > maxBuffered && lifecycle.accepting && batch.isActive()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(1000, heartbeatIntervalMs));
        part.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      part.drained = undefined;
      await batch.heartbeat();
    }
  }

  #partition(tp: TopicPartition): PartitionWork {
    const id = `${tp.topic}\u0000${tp.partition}`;
    const generation = this.parts.lifecycle.generation.id;
    let part = this.#partitions.get(id);
    if (part === undefined || part.generation !== generation) {
      part = {
        tp: { topic: tp.topic, partition: tp.partition },
        offsets: this.parts.tracker.partition(tp.topic, tp.partition),
        lanes: new Map(),
        buffered: 0,
        running: 0,
        paused: false,
        generation,
        drained: undefined,
      };
      this.#partitions.set(id, part);
    }
    return part;
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      const { limit, lifecycle, control, strategy, maxUncommitted, pipeline } = this.parts;
      while (this.#ready.length > 0) {
        if (!lifecycle.accepting) return;
        if (!limit.tryTake()) return;
        const item = this.#ready.shift() as Item;
        const skip = () => limit.release();
        const { part } = item;
        if (part.generation !== lifecycle.generation.id || !item.batch.isActive()) {
          skip();
          continue;
        }
        if (control.isPaused(part.tp.topic, part.tp.partition)) {
          skip();
          this.#drop(item);
          continue;
        }
        if (strategy.afterMessage && part.offsets.uncommitted >= maxUncommitted) {
          // Back-pressure of per-message: wait for the commit in flight, then go on.
          this.#ready.push(item);
          skip();
          void pipeline.flush('message').then(() => this.#pump());
          return;
        }
        this.#start(item);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #start(item: Item): void {
    this.#running++;
    item.part.running++;
    this.work.begin();
    let outcome: Outcome | Promise<Outcome>;
    try {
      outcome = this.parts.processor.process(item.batch, item.message);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    if (typeof outcome === 'string') this.#finish(item, outcome);
    else
      outcome.then(
        (result) => this.#finish(item, result),
        (error: unknown) => {
          this.parts.logger.debug({ err: error }, 'handler call ended by a rebalance');
          this.#finish(item, 'halt');
        },
      );
  }

  #finish(item: Item, outcome: Outcome): void {
    const { part } = item;
    const { strategy, pipeline, lifecycle } = this.parts;
    this.#running--;
    this.parts.limit.release();
    part.running--;
    part.buffered--;
    if (outcome === 'done' && part.generation === lifecycle.generation.id) {
      part.offsets.finish(item.track, item.index);
      this.lastProgressAt = Date.now();
      if (strategy.afterMessage) pipeline.request('message');
      else if (strategy.afterBatch && item.track.head >= item.track.end) pipeline.request('batch');
    } else if (outcome === 'halt' && strategy.afterBatch && lifecycle.accepting) {
      // The partition stops here (held): what finished before it is committed, as the runner's
      // batch end does.
      pipeline.request('batch');
    }
    const lane = item.lane;
    if (lane !== undefined) {
      const next = lane.shift();
      if (next !== undefined) this.#ready.push(next);
      else part.lanes.delete(lane.keyId);
    }
    if (part.buffered * 2 <= this.parts.maxBuffered) {
      part.drained?.();
      if (part.paused && lifecycle.accepting) {
        part.paused = false;
        this.parts.client.resume([part.tp]);
      }
    }
    this.work.end();
    this.#pump();
  }

  /** A held partition: its waiting messages are dropped (fetched again when it is released). */
  #drop(item: Item): void {
    item.part.buffered--;
    const next = item.lane?.shift();
    if (next !== undefined) this.#drop(next);
    else if (item.lane !== undefined) item.part.lanes.delete(item.lane.keyId);
  }

  /**
   * A new assignment: read the committed offsets' metadata, so messages that finished above the
   * committed offset before a restart or rebalance are skipped when they come again.
   */
  assigned(assigned: readonly TopicPartition[]): void {
    this.clear();
    const { client, tracker, logger } = this.parts;
    const loading = loadFinishedAbove(client, tracker, assigned, logger).finally(() => {
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
   * A held partition is released: once its running calls finished, fetch it again from its lowest
   * unfinished offset; what finished above it is skipped when it comes again.
   */
  async rewind(tp: TopicPartition): Promise<void> {
    const id = `${tp.topic}\u0000${tp.partition}`;
    const part = this.#partitions.get(id);
    const { tracker, client } = this.parts;
    while (part !== undefined && part.running > 0) await this.work.idle(100);
    const offsets = tracker.get(tp.topic, tp.partition);
    const from = offsets?.lowestUnfinished();
    if (offsets !== undefined && from !== undefined) {
      const skip = new Set(offsets.finishedAbove().map(String));
      this.#partitions.delete(id);
      tracker.reset(tp.topic, tp.partition).skip = skip;
      client.seek(tp, from);
    }
    client.resume([tp]);
  }
}
