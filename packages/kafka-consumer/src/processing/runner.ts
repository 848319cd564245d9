import type { ClientBatch, ConsumerClient } from '../client/port.js';
import type { Committer } from '../commit/committer.js';
import type { CommitStrategy } from '../commit/strategy.js';
import { CommitError, DrainTimeoutError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MessageProcessor, Signals } from './message.js';
import type { OffsetTracker } from './offsets.js';
import type { PartitionControl } from './partitions.js';

export interface DrainResult {
  drained: boolean;
  abandoned: number;
}

/**
 * Drives batches: message by message in partition order, marking finished offsets, committing
 * per the strategy, and stopping at once when the group rebalances or shutdown begins. On a
 * rebalance it commits every finished offset before letting the client re-join.
 */
export class Runner {
  lastProgressAt: number | null = null;
  #rebalancing = false;
  #stopping = false;
  #activeBatches = 0;
  #nextHeartbeatAt = 0;
  #idle: Array<() => void> = [];
  readonly #deadline = new AbortController();
  readonly #stop = new AbortController();

  constructor(
    private readonly client: ConsumerClient,
    private readonly tracker: OffsetTracker,
    private readonly committer: Committer,
    private readonly strategy: CommitStrategy,
    private readonly control: PartitionControl,
    private readonly logger: Logger,
    /** Least time between two heartbeat checks in a batch (at most the heartbeat interval). */
    private readonly heartbeatCheckMs: number,
  ) {}

  /** Set after construction (the processor needs the signals this runner owns). */
  processor: MessageProcessor<unknown> | undefined;

  get signals(): Signals {
    return {
      deadline: this.#deadline.signal,
      stopping: this.#stop.signal,
    };
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Between a rebalance notice and the next assignment (or a client restart). */
  get rebalancing(): boolean {
    return this.#rebalancing;
  }

  readonly onBatch = async (batch: ClientBatch): Promise<void> => {
    if (this.#stopping || this.#rebalancing || this.control.isStopped(batch.topic, batch.partition)) return;
    const processor = this.processor as MessageProcessor<unknown>;
    const { tracker, committer, strategy } = this;
    const offsets = tracker.partition(batch.topic, batch.partition);
    const { afterMessage } = strategy;
    this.#activeBatches++;
    // The client's fetch position moves once per batch, to the last finished message: resolving
    // each message costs KafkaJS a Long parse per message for the same end result.
    let lastDone: string | undefined;
    try {
      for (const message of batch.messages) {
        if (this.#stopping || this.#rebalancing || !batch.isActive()) break;
        let outcome = processor.process(batch, message);
        if (typeof outcome !== 'string') outcome = await outcome;
        if (outcome !== 'done') break;
        lastDone = message.offset;
        offsets.finish(message.offset);
        const now = Date.now();
        this.lastProgressAt = now;
        if (afterMessage) await committer.commit(batch.commit, 'message');
        // The client sends a heartbeat only when one is due; asking at most every heartbeatCheckMs
        // spares an awaited promise per message (a rebalance is still noticed within that time).
        if (now >= this.#nextHeartbeatAt) {
          this.#nextHeartbeatAt = now + this.heartbeatCheckMs;
          await batch.heartbeat();
        }
      }
      if (this.#stopping) await committer.commit(batch.commit, 'shutdown');
      else if (strategy.afterBatch) await committer.commit(batch.commit, 'batch');
    } catch (error) {
      const root = error instanceof CommitError ? error.cause : error;
      if (this.client.isRebalanceError(root)) {
        this.#rebalancing = true;
        this.logger.info(
          { topic: batch.topic, partition: batch.partition },
          'group rebalancing; committing finished offsets',
        );
        await committer.tryCommit(batch.commit, 'rebalance');
        throw root;
      }
      throw error;
    } finally {
      if (lastDone !== undefined) batch.resolveOffset(lastDone);
      this.#activeBatches--;
      if (this.#activeBatches === 0) for (const wake of this.#idle.splice(0)) wake();
    }
  };

  /** The client reports a rebalance outside any batch: commit finished offsets before it re-joins. */
  readonly onRebalancing = (): void => {
    this.#rebalancing = true;
    void this.committer.tryCommit((offsets) => this.client.commit(offsets), 'rebalance');
  };

  /** A (re)join finished with this assignment: a new generation, previous finished offsets are void. */
  readonly onAssigned = (): void => {
    this.#rebalancing = false;
    this.tracker.newGeneration(this.control.assigned);
  };

  /** Commits finished offsets outside a batch (interval timer). */
  readonly commitNow = (): void => {
    if (this.#stopping || this.#rebalancing) return;
    void this.committer.tryCommit((offsets) => this.client.commit(offsets), 'interval');
  };

  /**
   * Shutdown: start no new message, interrupt backoff sleeps, wait for running handlers until
   * `drainTimeoutMs`, then abort their signal and stop waiting. Finally commit what finished.
   */
  async drain(drainTimeoutMs: number): Promise<DrainResult> {
    this.#stopping = true;
    this.strategy.stop();
    this.control.clearTimers();
    this.#stop.abort();
    const drained = await this.#waitIdle(drainTimeoutMs);
    let abandoned = 0;
    if (!drained) {
      abandoned = this.processor?.inFlight ?? 0;
      this.logger.warn({ drainTimeoutMs, abandoned }, 'drain deadline passed; aborting running handlers');
      this.#deadline.abort(
        new DrainTimeoutError(`Drain deadline of ${drainTimeoutMs} ms passed during shutdown`),
      );
      if (!(await this.#waitIdle(5000)))
        this.logger.error({}, 'batches still running after abort; continuing shutdown');
    }
    await this.committer.tryCommit((offsets) => this.client.commit(offsets), 'shutdown');
    return { drained, abandoned };
  }

  #waitIdle(ms: number): Promise<boolean> {
    if (this.#activeBatches === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const index = this.#idle.indexOf(wake);
        if (index >= 0) this.#idle.splice(index, 1);
        resolve(this.#activeBatches === 0);
      }, ms);
      this.#idle.push(wake);
    });
  }
}
