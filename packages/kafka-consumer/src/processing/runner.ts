import type { ClientBatch } from '../client/port.js';
import { RebalanceError } from '../errors.js';
import { WorkCounter, type WorkParts } from './work.js';

export interface RunnerParts extends WorkParts {
  /** Least time between two heartbeat checks in a batch (at most the heartbeat interval). */
  heartbeatCheckMs: number;
}

/**
 * `ordering: 'partition'`: a batch's messages one after the other, in offset order, inside the
 * client's batch call (so the client waits for them before it re-joins or stops). Finished offsets
 * go to the tracker; commits are asked of the pipeline as the strategy says.
 */
export class PartitionRunner {
  lastProgressAt: number | null = null;
  readonly work = new WorkCounter();
  #nextHeartbeatAt = 0;

  constructor(private readonly parts: RunnerParts) {}

  get inFlight(): number {
    return this.parts.processor.inFlight;
  }

  readonly onBatch = async (batch: ClientBatch): Promise<void> => {
    const { tracker, pipeline, strategy, control, processor, lifecycle } = this.parts;
    if (!lifecycle.accepting || control.isStopped(batch.topic, batch.partition)) return;
    const offsets = tracker.partition(batch.topic, batch.partition);
    const track = offsets.add(batch.messages);
    const { afterMessage } = strategy;
    const { messages } = batch;
    let finished = 0;
    this.work.begin();
    try {
      for (let i = 0; i < messages.length; i++) {
        if (!lifecycle.accepting || !batch.isActive()) break;
        const message = messages[i] as (typeof messages)[number];
        let outcome = processor.process(batch, message);
        if (typeof outcome !== 'string') outcome = await outcome;
        if (outcome !== 'done') break;
        offsets.finish(track, i);
        finished = i + 1;
        const now = Date.now();
        this.lastProgressAt = now;
        if (afterMessage) {
          pipeline.request('message');
          if (offsets.uncommitted >= this.parts.maxUncommitted) {
            await pipeline.flush('message');
            if (offsets.uncommitted >= this.parts.maxUncommitted) break;
          }
        }
        // The client sends a heartbeat only when one is due; asking at most every heartbeatCheckMs
        // spares an awaited promise per message (a rebalance is still noticed within that time).
        if (now >= this.#nextHeartbeatAt) {
          this.#nextHeartbeatAt = now + this.parts.heartbeatCheckMs;
          await batch.heartbeat();
        }
      }
      if (strategy.afterBatch && lifecycle.accepting) await pipeline.flush('batch');
    } catch (error) {
      if (error instanceof RebalanceError) lifecycle.to('rebalancing');
      throw error;
    } finally {
      // The unstarted rest (and an unfinished message) is fetched again from the first unfinished
      // offset; the client's fetch position moves once per batch, to the last finished message.
      offsets.close(track, finished);
      if (finished > 0) batch.resolveOffset((messages[finished - 1] as { offset: string }).offset);
      this.work.end();
    }
  };
}
