import type { ConsumerState } from './lifecycle.js';
import type { Logger } from './logger.js';
import type { ShutdownReport, TopicPartition } from './types.js';

interface MessageRef {
  topic: string;
  partition: number;
  offset: string;
}

/** Every event the consumer emits, with its payload. Payloads are only built when someone listens. */
export interface ConsumerEvents {
  /** The handler resolved for a message. */
  'message.processed': MessageRef & { attempt: number; durationMs: number };
  /** A handler attempt failed and will be retried after `delayMs`. */
  'message.retrying': MessageRef & { attempt: number; delayMs: number; error: Error };
  /**
   * A handler threw DependencyUnavailableError: the message is retried after `delayMs` (the `waits`-th
   * wait in a row), without spending its retry budget and never dead-lettered.
   */
  'message.waiting-for-dependency': MessageRef & {
    dependency: string;
    waits: number;
    delayMs: number;
    error: Error;
  };
  /** A message that waited for a dependency got past it (processed, or failed for another reason). */
  'dependency.recovered': MessageRef & { dependency: string; waits: number; waitedMs: number };
  /** A message failed for good (retries exhausted, or a non-retryable error); it goes to the DLQ or stops its partition. */
  'message.failed': MessageRef & { attempts: number; error: Error; retryable: boolean };
  /**
   * A failed message was durably written to its next retry tier (`retryTopic`, tier number `tier`),
   * to be handled again from `dueAt` (epoch ms); its offset may now be committed.
   */
  'message.retry-tiered': MessageRef & {
    retryTopic: string;
    tier: number;
    dueAt: number;
    attempts: number;
    error: Error;
  };
  /** A failed message was durably written to the dead-letter topic; its offset may now be committed. */
  'message.dead-lettered': MessageRef & { deadLetterTopic: string; attempts: number; error: Error };
  /** The broker acknowledged a commit (`offset` is the next offset to read, Kafka convention). */
  'offsets.committed': {
    offsets: Array<TopicPartition & { offset: string }>;
    reason: CommitReason;
    /** From sending the OffsetCommit to its acknowledgement (retries included). */
    durationMs: number;
  };
  /** A commit failed for good (after its in-place retries, or fenced). */
  'offsets.commit-failed': { error: Error; reason: CommitReason };
  /** A fetched batch reached the runtime (`highWatermark`: the partition's end offset as the fetch saw it). */
  'batch.received': TopicPartition & {
    highWatermark: string;
    firstOffset: string;
    lastOffset: string;
    count: number;
  };
  /** The lifecycle moved (idle, connecting, running, rebalancing, stopping, stopped, crashed). */
  'consumer.state': { state: ConsumerState; previous: ConsumerState };
  /** A group join finished: `assigned` is this member's full assignment, `revoked` what it lost since the last one. */
  'group.rebalanced': { assigned: TopicPartition[]; revoked: TopicPartition[] };
  'partition.paused': TopicPartition & {
    reason: 'dead-letter-failed' | 'retries-exhausted' | 'undecodable-batch';
  };
  'partition.resumed': TopicPartition;
  /** The client crashed; `restart` tells whether KafkaJS restarts it by itself. */
  'consumer.crashed': { error: Error; restart: boolean };
  /** disconnect() finished (the consumer left the group). */
  'consumer.stopped': ShutdownReport;
  /** Something needs attention: failed commit, failed DLQ write, stopped partition, listener error... */
  error: { error: Error; topic?: string; partition?: number };
}

export type CommitReason = 'message' | 'batch' | 'interval' | 'rebalance' | 'shutdown' | 'restart';
export type EventName = keyof ConsumerEvents;
export type Listener<K extends EventName> = (payload: ConsumerEvents[K]) => void;

/**
 * A small typed emitter. `has(name)` lets the hot path skip building payloads nobody will read;
 * a throwing (or rejecting) listener is logged and reported as an 'error' event, never reaching the loop.
 */
/** The listener a once() wrapper stands for, so off() finds it. */
const ORIGINAL = Symbol('listener');

export class TypedEmitter {
  readonly #listeners = new Map<EventName, Array<Listener<never>>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  on<K extends EventName>(name: K, listener: Listener<K>): () => void {
    const list = this.#listeners.get(name);
    if (list === undefined) this.#listeners.set(name, [listener as Listener<never>]);
    else list.push(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  once<K extends EventName>(name: K, listener: Listener<K>): () => void {
    const wrapper = Object.assign(
      (payload: ConsumerEvents[K]) => {
        off();
        return listener(payload);
      },
      { [ORIGINAL]: listener },
    );
    const off = this.on(name, wrapper as Listener<K>);
    return off;
  }

  /** Removes `listener`, whether it was added with on() or once(). */
  off<K extends EventName>(name: K, listener: Listener<K>): void {
    const list = this.#listeners.get(name);
    if (list === undefined) return;
    const index = list.findIndex(
      (l) => l === (listener as Listener<never>) || (l as { [ORIGINAL]?: unknown })[ORIGINAL] === listener,
    );
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.#listeners.delete(name);
  }

  has(name: EventName): boolean {
    return this.#listeners.has(name);
  }

  emit<K extends EventName>(name: K, payload: ConsumerEvents[K]): void {
    const list = this.#listeners.get(name);
    if (list === undefined) return;
    for (const listener of list.slice()) {
      try {
        const result = (listener as Listener<K>)(payload) as unknown;
        if (result instanceof Promise) result.catch((error: unknown) => this.#listenerFailed(name, error));
      } catch (error) {
        this.#listenerFailed(name, error);
      }
    }
  }

  #listenerFailed(name: EventName, error: unknown): void {
    this.#logger.error({ err: error, event: name }, 'event listener threw; ignored');
    if (name !== 'error' && this.#listeners.has('error')) {
      const wrapped = error instanceof Error ? error : new Error(String(error), { cause: error });
      this.emit('error', { error: wrapped });
    }
  }
}
