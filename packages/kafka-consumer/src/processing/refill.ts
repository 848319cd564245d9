import type { ClientBatch, ConsumerClient } from '../client/port.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../logger.js';
import type { ConsumedMessage } from '../types.js';
import type { Lane, LaneOf, PartitionWork } from './lanes.js';
import { compareOffsets, nextOffset, type TrackedAt } from './partition-track.js';

export interface RefillParts {
  client: ConsumerClient;
  lifecycle: Lifecycle;
  logger: Logger;
  laneOf: LaneOf;
  /** Waiting messages a lane keeps; past it, its later messages are let go (read again later). */
  laneCap: number;
}

/** Takes a dropped message back into its lane (counted as buffered again). */
export type TakeBack = (
  part: PartitionWork,
  lane: Lane,
  message: ConsumedMessage,
  at: TrackedAt,
  batch: ClientBatch,
) => void;

/** A failed or empty read is tried again after this long (the generation's sleeps end it early). */
const RETRY_MS = 200;

/**
 * Hot keys with bounded memory. A lane that holds its share of the buffer lets its later messages
 * go: they stay unfinished in the tracker (offset only, so the commit never passes them) and the
 * partition reads on for the other keys. When the lane drained to half its share, its dropped
 * messages are read again beside the group's fetch (`fetchFrom`, from the lane's lowest dropped
 * offset; one read in flight per partition) and taken back in offset order, up to the share again.
 * Other lanes whose dropped messages all lie in the range read are served by the same read.
 */
export class Refiller {
  constructor(
    private readonly parts: RefillParts,
    private readonly takeBack: TakeBack,
    /** Whether `part` is still the scheduler's live work for its partition. */
    private readonly live: (part: PartitionWork) => boolean,
    /** A read was taken in: messages may have become ready, or gone ones finished. */
    private readonly after: (part: PartitionWork) => void,
  ) {}

  /** Whether lanes may let messages go at all (the client can read beside its fetch). */
  get enabled(): boolean {
    return this.parts.client.fetchFrom !== undefined && Number.isFinite(this.parts.laneCap);
  }

  /** Whether a message arriving for `lane` is let go. */
  drops(lane: Lane): boolean {
    return lane.dropFrom !== undefined || lane.length >= this.parts.laneCap;
  }

  /** A lane lost a waiting message: read its dropped ones again once it is down to half its share. */
  drained(part: PartitionWork, lane: Lane): void {
    if (lane.dropFrom !== undefined && lane.length * 2 <= this.parts.laneCap) this.#read(part, lane.dropFrom);
  }

  #read(part: PartitionWork, from: string): void {
    const fetchFrom = this.parts.client.fetchFrom;
    if (part.refilling || fetchFrom === undefined) return;
    part.refilling = true;
    const { lifecycle, logger } = this.parts;
    const generation = lifecycle.generation;
    fetchFrom
      .call(this.parts.client, part.tp, from)
      .then(
        (messages) => {
          part.refilling = false;
          if (!this.live(part)) return;
          if (messages.length === 0) return this.#retry(part, generation.sleeps.sleep(RETRY_MS));
          const taken = this.#take(part, from, messages);
          logger.debug({ ...part.tp, from, read: messages.length, taken }, 'let-go messages read again');
          this.after(part);
          this.#next(part);
        },
        (error: unknown) => {
          part.refilling = false;
          if (!this.live(part)) return;
          logger.warn(
            { ...part.tp, offset: from, err: error },
            'reading let-go messages again failed; retrying',
          );
          this.#retry(part, generation.sleeps.sleep(RETRY_MS));
        },
      )
      .catch((error: unknown) => logger.error({ err: error }, 'refill failed'));
  }

  #retry(part: PartitionWork, slept: Promise<boolean>): void {
    void slept.then((ok) => {
      if (ok && this.live(part)) this.#next(part);
    });
  }

  /** After a read: the next lane that is down to half its share (a read moves every lane it served on). */
  #next(part: PartitionWork): void {
    for (const lane of part.lanes.values()) {
      if (lane.dropFrom !== undefined && lane.length * 2 <= this.parts.laneCap) {
        this.#read(part, lane.dropFrom);
        return;
      }
    }
  }

  /** Takes back, in offset order, the dropped messages of the lanes whose dropped ones all lie at or above `from`. */
  #take(part: PartitionWork, from: string, messages: readonly ConsumedMessage[]): number {
    const { laneOf, laneCap, client, lifecycle } = this.parts;
    const last = part.offsets.last();
    if (last === undefined) return 0;
    let taken = 0;
    const batch = refillBatch(part, client, () => this.live(part) && lifecycle.accepting);
    const full = new Set<Lane>();
    let upTo = from;
    let m = 0;
    for (; m < messages.length; m++) {
      const message = messages[m] as ConsumedMessage;
      if (compareOffsets(message.offset, last) > 0) break;
      upTo = message.offset;
      const id = laneOf(message);
      const lane = id === undefined ? undefined : part.lanes.get(id);
      if (lane?.dropFrom === undefined || full.has(lane) || compareOffsets(lane.dropFrom, from) < 0) continue;
      const at = part.offsets.droppedAt(message.offset);
      if (at === undefined) continue;
      if (lane.length >= laneCap) {
        full.add(lane);
        lane.dropFrom = message.offset;
        continue;
      }
      part.offsets.reopen(at);
      lane.dropped--;
      taken++;
      this.takeBack(part, lane, message, at, batch);
    }
    this.#finishGone(part, from, upTo, messages.slice(0, m));
    const covered = compareOffsets(upTo, last) >= 0;
    for (const lane of part.lanes.values()) {
      if (lane.dropFrom === undefined || full.has(lane) || compareOffsets(lane.dropFrom, from) < 0) continue;
      if (lane.dropped <= 0 || covered) {
        lane.dropped = 0;
        lane.dropFrom = undefined;
        if (!lane.active && lane.length === 0) part.lanes.delete(lane.id);
      } else {
        const after = nextOffset(upTo);
        if (compareOffsets(lane.dropFrom, after) < 0) lane.dropFrom = after;
      }
    }
    return taken;
  }

  /** Dropped offsets in the range read that the log no longer has (compacted away): nothing to do, finished. */
  #finishGone(part: PartitionWork, from: string, upTo: string, read: readonly ConsumedMessage[]): void {
    const dropped = part.offsets.droppedIn(from, upTo);
    if (dropped.length === 0) return;
    const present = new Set(read.map((message) => message.offset));
    for (const at of dropped) {
      const offset = at.track.offsets[at.index] as string;
      if (present.has(offset)) continue;
      this.parts.logger.debug({ ...part.tp, offset }, 'a let-go message is no longer in the log; finished');
      part.offsets.reopen(at);
      part.offsets.finish(at.track, at.index);
    }
  }
}

/** The batch a refill's messages run under: live while the partition's work is. */
function refillBatch(part: PartitionWork, client: ConsumerClient, isActive: () => boolean): ClientBatch {
  return {
    topic: part.tp.topic,
    partition: part.tp.partition,
    messages: [],
    highWatermark: '-1',
    resolveOffset: () => undefined,
    heartbeat: () => client.heartbeat(),
    isActive,
  };
}
