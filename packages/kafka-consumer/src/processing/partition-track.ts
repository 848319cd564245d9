/** A message's state in its batch track. */
const OPEN = 0;
const DONE = 1;
/** Let go to bound memory (a hot key's lane was full): unfinished, read again by a refill. */
const DROPPED = 2;

/** Offset order of two offset strings (non-negative decimals without leading zeros). */
export const compareOffsets = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;

export const nextOffset = (offset: string): string => (BigInt(offset) + 1n).toString();

/**
 * The messages of one fetched batch as tracked for commits: their offsets (copied, so the batch's
 * messages are not kept alive by the track) and which are finished.
 */
export class BatchTrack {
  readonly done: Uint8Array;
  readonly offsets: string[];
  /** Index of the lowest unfinished message. */
  head = 0;
  /** Messages past `end` were never started (the batch ended early) and are no longer tracked. */
  end: number;

  constructor(messages: readonly { offset: string }[]) {
    const n = messages.length;
    const offsets = new Array<string>(n);
    for (let i = 0; i < n; i++) offsets[i] = (messages[i] as { offset: string }).offset;
    this.offsets = offsets;
    this.done = new Uint8Array(n);
    this.end = n;
  }
}

/** Where a tracked offset is. */
export interface TrackedAt {
  track: BatchTrack;
  index: number;
}

/**
 * One partition's commit position: the lowest unfinished offset. Messages may finish in any order
 * (key or unordered dispatch); the committable offset never passes one that is in flight, retrying,
 * waiting or dropped. Finished offsets above it are what the commit metadata carries.
 */
export class PartitionTrack {
  readonly #batches: BatchTrack[] = [];
  /** Next offset after the last finished message when no batch is pending (Kafka convention). */
  #next: string | undefined;
  /** Next offset acknowledged by the broker, -1n when unknown. */
  committed = -1n;
  /** The metadata of the last acknowledged commit (a commit repeating both is never sent). */
  committedMetadata: string | null = null;
  /** Messages finished / finished and covered by an acknowledged commit (back-pressure of per-message). */
  finishedCount = 0;
  ackedCount = 0;
  /** Offsets held by the tracks (their memory): read-ahead past a stuck head is bounded by it. */
  tracked = 0;
  /** Offsets finished before a restart (from commit metadata): skipped when delivered again. */
  skip: Set<string> | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Starts tracking a batch; its messages must follow the ones tracked so far. */
  add(messages: readonly { offset: string }[]): BatchTrack {
    const track = new BatchTrack(messages);
    this.#batches.push(track);
    this.tracked += track.end;
    return track;
  }

  /** Marks message `index` of `track` finished; true when that moved the batch's lowest unfinished one. */
  finish(track: BatchTrack, index: number): boolean {
    track.done[index] = DONE;
    this.finishedCount++;
    if (index !== track.head) return false;
    let head = index + 1;
    while (head < track.end && track.done[head] === DONE) head++;
    track.head = head;
    if (head >= track.end) this.#dropFinished();
    return true;
  }

  /** Lets message `index` go (it stays unfinished and is read again by a refill). */
  drop(track: BatchTrack, index: number): void {
    track.done[index] = DROPPED;
  }

  /** Where `offset` is tracked when it was dropped; undefined when it is not tracked or not dropped. */
  droppedAt(offset: string): TrackedAt | undefined {
    const at = this.#find(offset);
    return at !== undefined && at.track.done[at.index] === DROPPED ? at : undefined;
  }

  /** A dropped message read again and taken back: unfinished and in the work again. */
  reopen({ track, index }: TrackedAt): void {
    track.done[index] = OPEN;
  }

  /** Dropped offsets in [from, to] (both tracked offsets), ascending. */
  droppedIn(from: string, to: string): TrackedAt[] {
    const out: TrackedAt[] = [];
    for (const track of this.#batches) {
      const { offsets, done } = track;
      if (track.end === 0 || compareOffsets(offsets[track.end - 1] as string, from) < 0) continue;
      if (compareOffsets(offsets[0] as string, to) > 0) break;
      for (let i = track.head; i < track.end; i++) {
        const offset = offsets[i] as string;
        if (compareOffsets(offset, from) < 0) continue;
        if (compareOffsets(offset, to) > 0) break;
        if (done[i] === DROPPED) out.push({ track, index: i });
      }
    }
    return out;
  }

  /** The highest tracked offset, undefined when nothing is tracked. */
  last(): string | undefined {
    for (let b = this.#batches.length - 1; b >= 0; b--) {
      const track = this.#batches[b] as BatchTrack;
      if (track.end > 0) return track.offsets[track.end - 1];
    }
    return undefined;
  }

  #find(offset: string): TrackedAt | undefined {
    const batches = this.#batches;
    let lo = 0;
    let hi = batches.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const track = batches[mid] as BatchTrack;
      if (track.end === 0 || compareOffsets(offset, track.offsets[track.end - 1] as string) > 0) lo = mid + 1;
      else if (compareOffsets(offset, track.offsets[0] as string) < 0) hi = mid - 1;
      else return indexIn(track, offset);
    }
    return undefined;
  }

  /** The batch ended after `started` messages: the rest will be fetched again, stop tracking them. */
  close(track: BatchTrack, started: number): void {
    if (started >= track.end) return;
    this.tracked -= track.end - started;
    track.end = started;
    if (track.head >= track.end) this.#dropFinished();
  }

  #dropFinished(): void {
    const batches = this.#batches;
    while (batches.length > 0) {
      const front = batches[0] as BatchTrack;
      if (front.head < front.end) return;
      if (front.end > 0) this.#next = nextOffset(front.offsets[front.end - 1] as string);
      this.tracked -= front.end;
      batches.shift();
    }
  }

  /** The offset to commit: the lowest unfinished one (next to read), or undefined before any batch. */
  committable(): string | undefined {
    for (const batch of this.#batches) {
      if (batch.head < batch.end) return batch.offsets[batch.head];
    }
    return this.#next;
  }

  /** Where fetching must start again to redeliver everything unfinished. */
  lowestUnfinished(): string | undefined {
    return this.committable();
  }

  /** Finished offsets above the committable one, ascending. */
  finishedAbove(): bigint[] {
    const out: bigint[] = [];
    let seenUnfinished = false;
    for (const batch of this.#batches) {
      for (let i = batch.head; i < batch.end; i++) {
        if (batch.done[i] === DONE) {
          if (seenUnfinished) out.push(BigInt(batch.offsets[i] as string));
        } else seenUnfinished = true;
      }
    }
    return out;
  }

  get uncommitted(): number {
    return this.finishedCount - this.ackedCount;
  }
}

function indexIn(track: BatchTrack, offset: string): TrackedAt | undefined {
  const { offsets } = track;
  let lo = track.head;
  let hi = track.end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareOffsets(offset, offsets[mid] as string);
    if (c === 0) return { track, index: mid };
    if (c > 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
