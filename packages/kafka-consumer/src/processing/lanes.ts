import type { ClientBatch } from '../client/port.js';
import type { ConsumedMessage, TopicPartition } from '../types.js';
import type { BatchTrack, PartitionTrack } from './partition-track.js';
import { Fifo } from './queue.js';

/** One message waiting to run or running, stamped with the generation it was fetched in. */
export interface Item {
  /** Arrival number: the order messages run in when their lanes are free. */
  readonly seq: number;
  readonly batch: ClientBatch;
  readonly message: ConsumedMessage;
  readonly track: BatchTrack;
  readonly index: number;
  /** The lane the item runs in ('partition': one per partition, 'key': one per key); none for 'unordered'. */
  readonly lane: Lane | undefined;
  readonly part: PartitionWork;
}

/**
 * The messages of one lane waiting behind the one that is ready or running (`active`). A lane that
 * filled its share of the buffer lets its later messages go (`dropped`, tracked by offset only,
 * from `dropFrom` on: a lower bound of the lowest one) and reads them again once it drained.
 */
export type Lane = Fifo<Item> & {
  readonly id: string | null;
  active: boolean;
  dropped: number;
  dropFrom: string | undefined;
};

export const newLane = (id: string | null): Lane =>
  Object.assign(new Fifo<Item>(), { id, active: false, dropped: 0, dropFrom: undefined });

/** Where a message's lane is: one per partition, one per key (byte-equal; null is one key), or none. */
export type LaneOf = (message: ConsumedMessage) => string | null | undefined;

export const laneOf = (ordering: 'partition' | 'key' | 'unordered'): LaneOf =>
  ordering === 'partition'
    ? () => ''
    : ordering === 'key'
      ? (message) => (message.key === null ? null : message.key.toString('latin1'))
      : () => undefined;

/** One partition's work in one generation. */
export class PartitionWork {
  readonly lanes = new Map<string | null, Lane>();
  /** Messages fetched and not finished (waiting, running, in backoff). */
  buffered = 0;
  running = 0;
  /** Held back by the per-message window: run again when a commit settles or the head moves. */
  readonly parked: Item[] = [];
  /** The window is full and no commit can say more: since when, behind which offset. */
  blockedSince: number | undefined;
  blockedAt: string | undefined;
  /** Wakes a batch call held back by a full buffer. */
  drained: (() => void) | undefined;
  /** Wakes a rewind waiting for this partition's running calls. */
  idle: (() => void) | undefined;
  /** A refill (reading dropped messages again) is in flight. */
  refilling = false;
  /** Replaced (a rewind) or cleared (a revoke): its waiting messages never start. */
  ended = false;

  constructor(
    readonly tp: TopicPartition,
    readonly offsets: PartitionTrack,
    readonly generation: number,
  ) {}
}
