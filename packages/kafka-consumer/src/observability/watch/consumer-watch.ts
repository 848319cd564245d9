import type { KafkaConsumer } from '../../consumer.js';
import type { ConsumerState } from '../../lifecycle.js';
import { isRetryTierTopic } from '../../naming.js';
import type { HealthReport, TopicPartition } from '../../types.js';
import { HoldBook, type HoldView } from './holds.js';
import { LagRefresher } from './lag-refresher.js';
import { PartitionBook, type PartitionFacts, tpKey } from './partition-book.js';
import { findStuck, type StuckPartition } from './stuck.js';

export type { HoldView };

/** Default of `stuckAfterMs`: lag > 0 and no message finished on a partition for this long = stuck. */
export const DEFAULT_STUCK_AFTER_MS = 60_000;
/** Default of `lagRefreshMs`: how often end and committed offsets are read through the admin API. */
export const DEFAULT_LAG_REFRESH_MS = 10_000;

export interface WatchOptions {
  /** @default DEFAULT_LAG_REFRESH_MS (10 s) */
  lagRefreshMs?: number;
  /** @default DEFAULT_STUCK_AFTER_MS (60 s) */
  stuckAfterMs?: number;
}

export interface PartitionView extends TopicPartition {
  /** end - committed; undefined until an end offset is known. */
  lag: number | undefined;
  end: number | undefined;
  committed: number | undefined;
  /** Seconds since a message finished here (or since it was assigned / resumed). */
  idleSeconds: number;
  /** Seconds with lag > 0 and nothing finished (0 while the lag is 0). */
  waitingSeconds: number;
}

export interface StuckReport {
  /** Epoch ms when the consumer was first seen stuck. */
  since: number;
  partitions: StuckPartition[];
}

const waitingSeconds = (facts: PartitionFacts, now: number): number =>
  facts.waitingSince === undefined
    ? 0
    : Math.max(0, (now - Math.max(facts.progressAt, facts.waitingSince)) / 1000);

const STATES: readonly ConsumerState[] = [
  'idle',
  'connecting',
  'running',
  'rebalancing',
  'stopping',
  'stopped',
  'crashed',
];
export { STATES as CONSUMER_STATES };

/**
 * Follows one consumer through its typed events (and `health()`): lag per assigned partition
 * (fetch high watermarks, commits, a periodic admin refresh), progress per partition, holds with
 * their reasons, the lifecycle state, and stuck detection. Shared by the Prometheus metrics and
 * the health server (see `acquireWatch`).
 */
export class ConsumerWatch {
  readonly book: PartitionBook;
  state: ConsumerState;
  stuck: StuckReport | undefined;
  stuckAfterMs: number;
  lagRefreshMs: number;
  readonly startedAt = Date.now();
  readonly #consumer: KafkaConsumer;
  readonly #refresher: LagRefresher;
  readonly #holds = new HoldBook();
  readonly #off: Array<() => void> = [];
  readonly #stuckListeners: Array<(report: StuckReport | undefined) => void> = [];
  #refreshTimer: NodeJS.Timeout | undefined;
  #checkTimer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;
  #closed = false;

  constructor(consumer: KafkaConsumer, options: WatchOptions = {}) {
    this.#consumer = consumer;
    this.stuckAfterMs = options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS;
    this.lagRefreshMs = options.lagRefreshMs ?? DEFAULT_LAG_REFRESH_MS;
    this.book = new PartitionBook(consumer.options.fromBeginning);
    this.#refresher = new LagRefresher(consumer);
    const health = consumer.health();
    this.state = health.state;
    this.book.assign(health.assignedPartitions, Date.now());
    this.#listen();
    this.#schedule();
  }

  #listen(): void {
    const c = this.#consumer;
    this.#off.push(
      c.on('consumer.state', ({ state }) => {
        this.state = state;
        if (state === 'stopping' || state === 'stopped') this.#setStuck(undefined);
        if (state === 'stopped') this.#quiesce();
      }),
      c.on('group.rebalanced', ({ assigned }) => {
        this.book.assign(assigned, Date.now());
        this.#holds.assigned(assigned);
        void this.refresh();
      }),
      c.on('batch.received', (b) => {
        this.book.fetched(b.topic, b.partition, Number(b.highWatermark), Number(b.firstOffset));
      }),
      c.on('offsets.committed', ({ offsets }) => {
        for (const o of offsets) this.book.committed(o.topic, o.partition, Number(o.offset));
      }),
      // Counted, not timed: the periodic check (at most every second) turns a count change into progress.
      c.on('message.processed', (m) => this.book.finish(m.topic, m.partition)),
      c.on('message.dead-lettered', (m) => this.book.finish(m.topic, m.partition)),
      ...this.#holds.listen(c, (tp) => this.book.progressed(tp.topic, tp.partition, Date.now())),
    );
  }

  #schedule(): void {
    clearInterval(this.#refreshTimer);
    clearInterval(this.#checkTimer);
    this.#refreshTimer = setInterval(() => void this.refresh(), this.lagRefreshMs);
    this.#refreshTimer.unref();
    const checkMs = Math.max(50, Math.min(1000, Math.floor(this.stuckAfterMs / 4)));
    this.#checkTimer = setInterval(() => this.evaluate(), checkMs);
    this.#checkTimer.unref();
  }

  /** Applies later (shared) options: the shortest refresh wins, an explicit stuckAfterMs replaces. */
  configure(options: WatchOptions): void {
    let changed = false;
    if (options.lagRefreshMs !== undefined && options.lagRefreshMs < this.lagRefreshMs) {
      this.lagRefreshMs = options.lagRefreshMs;
      changed = true;
    }
    if (options.stuckAfterMs !== undefined && options.stuckAfterMs !== this.stuckAfterMs) {
      this.stuckAfterMs = options.stuckAfterMs;
      changed = true;
    }
    if (changed && !this.#closed) this.#schedule();
  }

  /** Reads end and committed offsets through the admin API now (one refresh at a time). */
  refresh(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#refreshing ??= this.#refresher.refresh(this.book).finally(() => {
      this.#refreshing = undefined;
      this.evaluate();
    });
    return this.#refreshing;
  }

  /** Paused partitions (health() is the source of truth) with what the watch saw about them. */
  holds(health: HealthReport = this.#consumer.health()): HoldView[] {
    return this.#holds.views(health);
  }

  partitions(now = Date.now()): PartitionView[] {
    this.book.sample(now);
    const out: PartitionView[] = [];
    for (const facts of this.book.all()) {
      out.push({
        topic: facts.topic,
        partition: facts.partition,
        lag: this.book.lag(facts),
        end: facts.end,
        committed: facts.committed,
        idleSeconds: Math.max(0, (now - facts.progressAt) / 1000),
        waitingSeconds: waitingSeconds(facts, now),
      });
    }
    return out;
  }

  /** Seconds since the consumer last finished a message (since the watch started before the first). */
  secondsSinceProgress(health: HealthReport = this.#consumer.health(), now = Date.now()): number {
    return Math.max(0, (now - (health.lastProgressAt ?? this.startedAt)) / 1000);
  }

  /** Re-evaluates stuck: lag > 0 and nothing finished for stuckAfterMs on a partition not held by the runtime. */
  evaluate(now = Date.now()): StuckReport | undefined {
    if (this.#closed) return this.stuck;
    if (this.state !== 'running' && this.state !== 'rebalancing') {
      this.#setStuck(undefined);
      return undefined;
    }
    const health = this.#consumer.health();
    const held = new Set(health.pausedPartitions.map((tp) => tpKey(tp.topic, tp.partition)));
    this.book.sample(now);
    const inputs = [...this.book.all()].map((facts) => ({
      topic: facts.topic,
      partition: facts.partition,
      lag: this.book.lag(facts),
      progressAt: facts.progressAt,
      waitingSince: facts.waitingSince,
      // A retry-tier partition lags by design while its head waits to be due: never "stuck".
      held: held.has(tpKey(facts.topic, facts.partition)) || isRetryTierTopic(facts.topic),
    }));
    const partitions = findStuck(inputs, now, this.stuckAfterMs);
    this.#setStuck(partitions.length === 0 ? undefined : { since: this.stuck?.since ?? now, partitions });
    return this.stuck;
  }

  /** Runs on every stuck/recovered transition (undefined = recovered). */
  onStuckChange(listener: (report: StuckReport | undefined) => void): () => void {
    this.#stuckListeners.push(listener);
    return () => {
      const i = this.#stuckListeners.indexOf(listener);
      if (i >= 0) this.#stuckListeners.splice(i, 1);
    };
  }

  #setStuck(next: StuckReport | undefined): void {
    const was = this.stuck !== undefined;
    this.stuck = next;
    if (was === (next !== undefined)) return;
    const { logger } = this.#consumer.options;
    if (next !== undefined) {
      logger.warn(
        { stuckAfterMs: this.stuckAfterMs, partitions: next.partitions },
        'consumer stuck: messages waiting and none finished for stuckAfterMs',
      );
    } else logger.info({}, 'consumer no longer stuck');
    for (const listener of this.#stuckListeners.slice()) {
      try {
        listener(next);
      } catch (error) {
        logger.error({ err: error }, 'stuck listener threw; ignored');
      }
    }
  }

  /** The consumer stopped: no more refreshes; the admin connection is closed so the process can exit. */
  #quiesce(): void {
    clearInterval(this.#refreshTimer);
    clearInterval(this.#checkTimer);
    void this.#refresher.close();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#off.splice(0)) off();
    clearInterval(this.#refreshTimer);
    clearInterval(this.#checkTimer);
    await this.#refreshing?.catch(() => undefined);
    await this.#refresher.close();
  }
}
