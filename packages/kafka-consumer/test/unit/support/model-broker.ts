import type { ClientBatch, ClientFactory, ClientHooks, ConsumerClient } from '../../../src/client/port.js';
import { CommitError, RebalanceError } from '../../../src/errors.js';
import { decodeFinished } from '../../../src/processing/metadata.js';
import type { PendingOffset } from '../../../src/processing/offsets.js';
import type { ConsumedMessage } from '../../../src/types.js';

/** One partition of the model broker: a fixed log, a fetch position, the group's committed offset. */
export interface ModelPartition {
  readonly partition: number;
  readonly log: readonly ConsumedMessage[];
  position: number;
  committed: number;
  /** Offsets whose handler call succeeded (or were dead-lettered), in any generation. */
  readonly processed: Set<number>;
  paused: boolean;
  assigned: boolean;
  /** A batch call of this partition has not returned yet (the client delivers one at a time). */
  delivering: boolean;
}

/** A read beside the fetch (`fetchFrom`) the model answers when it chooses. */
interface PendingRead {
  partition: number;
  offset: number;
  generation: number;
  resolve: (messages: ConsumedMessage[]) => void;
  reject: (error: Error) => void;
}

interface PendingCommit {
  offsets: readonly PendingOffset[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A handler call the model decides the outcome of. */
export interface PendingCall {
  readonly partition: number;
  readonly offset: number;
  readonly generation: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * A broker and group coordinator for model-based tests: it delivers batches, records commits and
 * their acknowledgements, and checks the runtime's invariants at every event. Violations are
 * collected (a throw inside the runtime's callbacks would only be swallowed).
 */
export class ModelBroker {
  readonly partitions: ModelPartition[];
  readonly violations: string[] = [];
  readonly calls: PendingCall[] = [];
  readonly commits: PendingCommit[] = [];
  readonly reads: PendingRead[] = [];
  /** Per partition and key: the offset of the last handler call started and whether one runs. */
  readonly #keys = new Map<string, { last: number; running: boolean }>();
  hooks: ClientHooks | undefined;
  /** Whether the consumer reports the partition held (a resume then undoes the hold). */
  held: (partition: number) => boolean = () => false;
  generation = 0;
  revoking = false;
  /** Acknowledged commit offsets per partition in the current generation (never backwards). */
  readonly #acked = new Map<number, number>();

  constructor(partitions: number, length: number, keys: readonly (string | null)[]) {
    this.partitions = Array.from({ length: partitions }, (_, partition) => ({
      partition,
      log: Array.from({ length }, (_, offset) => {
        const key = keys[(offset * 7 + partition) % keys.length] ?? null;
        return {
          key: key === null ? null : Buffer.from(key),
          value: Buffer.from(`${partition}:${offset}`),
          timestamp: '0',
          attributes: 0,
          offset: String(offset),
          headers: {},
        };
      }),
      position: 0,
      committed: 0,
      processed: new Set<number>(),
      paused: false,
      assigned: true,
      delivering: false,
    }));
  }

  violation(text: string): void {
    if (this.violations.length < 20) this.violations.push(text);
  }

  readonly client: ConsumerClient = {
    connect: async () => undefined,
    start: async (hooks) => {
      this.hooks = hooks;
      this.generation++;
      hooks.onAssigned(this.partitions.map((p) => ({ topic: 't', partition: p.partition })));
    },
    commit: (offsets) => {
      for (const { partition, offset, metadata } of offsets)
        this.#checkCommit(partition, Number(offset), metadata);
      return new Promise<void>((resolve, reject) => {
        const generation = this.generation;
        this.commits.push({
          offsets,
          resolve: () => {
            if (generation !== this.generation) return reject(new RebalanceError('fenced', 'fenced'));
            for (const { partition, offset } of offsets) this.#ack(partition, Number(offset));
            resolve();
          },
          reject,
        });
      });
    },
    committed: async () => [],
    heartbeat: async () => undefined,
    pause: (tps) => {
      for (const tp of tps) (this.partitions[tp.partition] as ModelPartition).paused = true;
    },
    resume: (tps) => {
      for (const tp of tps) {
        if (this.held(tp.partition)) this.violation(`partition ${tp.partition} resumed while held`);
        (this.partitions[tp.partition] as ModelPartition).paused = false;
      }
    },
    seek: (tp, offset) => {
      (this.partitions[tp.partition] as ModelPartition).position = Number(offset);
    },
    fetchFrom: (tp, offset) =>
      new Promise<ConsumedMessage[]>((resolve, reject) => {
        this.reads.push({
          partition: tp.partition,
          offset: Number(offset),
          generation: this.generation,
          resolve,
          reject,
        });
      }),
    stop: async () => undefined,
  };

  readonly factory: ClientFactory = {
    consumer: () => this.client,
    producer: () => ({
      connect: async () => undefined,
      send: async () => undefined,
      disconnect: async () => undefined,
    }),
    admin: () => ({
      missing: async () => [],
      brokerCount: async () => 1,
      create: async () => undefined,
      close: async () => undefined,
    }),
  };

  /** The handler the consumer runs: every call waits for the model's decision. */
  readonly handler = ({ partition, message }: { partition: number; message: ConsumedMessage }) => {
    const p = this.partitions[partition] as ModelPartition;
    if (this.revoking) this.violation(`handler started for ${partition}@${message.offset} during a revoke`);
    if (!p.assigned) this.violation(`handler started for unassigned partition ${partition}`);
    const key = this.#keyOrder(partition, message);
    return new Promise<void>((resolve, reject) => {
      const call: PendingCall = {
        partition,
        offset: Number(message.offset),
        generation: this.generation,
        resolve: () => {
          p.processed.add(call.offset);
          key.running = false;
          resolve();
        },
        reject: (error) => {
          key.running = false;
          reject(error);
        },
      };
      this.calls.push(call);
    });
  };

  /**
   * Within a generation a key's calls never overlap and never go back to an offset below one that
   * started (a retry repeats the same offset; offsets processed before are skipped when fetched
   * again). Checked for every ordering that keeps a key's order ('partition' and 'key').
   */
  #keyOrder(partition: number, message: ConsumedMessage) {
    const id = `${this.generation}:${partition}:${message.key === null ? '<null>' : message.key.toString()}`;
    const offset = Number(message.offset);
    let state = this.#keys.get(id);
    if (state === undefined) {
      state = { last: -1, running: false };
      this.#keys.set(id, state);
    }
    if (this.checkKeyOrder) {
      if (state.running) this.violation(`two calls of key ${id} overlap (${offset})`);
      if (offset < state.last) this.violation(`key ${id} went back from ${state.last} to ${offset}`);
    }
    state.last = Math.max(state.last, offset);
    state.running = true;
    return state;
  }

  /** Whether the ordering keeps a key's order (not 'unordered'). */
  checkKeyOrder = true;

  /** Answers the oldest read beside the fetch with up to `count` records from its offset (or fails it). */
  answerRead(count: number, fail = false): void {
    const read = this.reads.shift();
    if (read === undefined) return;
    if (fail) {
      read.reject(new Error('leader moved'));
      return;
    }
    const p = this.partitions[read.partition] as ModelPartition;
    read.resolve(p.log.slice(read.offset, read.offset + count));
  }

  /** Delivers the next `count` records of a partition, as the client would. */
  fetch(partition: number, count: number): void {
    const p = this.partitions[partition] as ModelPartition;
    if (this.hooks === undefined || !p.assigned || p.paused || p.delivering || this.revoking) return;
    if (p.position >= p.log.length) return;
    const messages = p.log.slice(p.position, p.position + count);
    const generation = this.generation;
    const batch: ClientBatch = {
      topic: 't',
      partition,
      messages,
      highWatermark: String(p.log.length),
      resolveOffset: (offset) => {
        if (generation === this.generation) p.position = Math.max(p.position, Number(offset) + 1);
      },
      heartbeat: async () => undefined,
      isActive: () => generation === this.generation && !this.revoking,
    };
    p.delivering = true;
    void this.hooks.onBatch(batch).finally(() => {
      p.delivering = false;
    });
  }

  /** Settles the oldest commit in flight: acknowledged, a transient failure, or fenced. */
  settleCommit(how: 'ack' | 'retriable' | 'fenced'): void {
    const commit = this.commits.shift();
    if (commit === undefined) return;
    if (how === 'ack') commit.resolve();
    else if (how === 'retriable') commit.reject(new CommitError('coordinator moving', { retriable: true }));
    else commit.reject(new RebalanceError('fenced', 'fenced'));
  }

  /** A re-join with a new assignment: the revoke runs first, then every assigned partition fetches from its commit. */
  async rebalance(assigned: readonly number[], settle: () => Promise<void>): Promise<void> {
    const hooks = this.hooks as ClientHooks;
    hooks.onRebalancing();
    let joined = false;
    const revoke = hooks.beforeJoin().then(() => {
      joined = true;
    });
    while (!joined) await settle();
    await revoke;
    this.revoking = true;
    this.generation++;
    this.#acked.clear();
    for (const p of this.partitions) {
      p.assigned = assigned.includes(p.partition);
      p.position = p.committed;
      p.paused = false;
    }
    this.revoking = false;
    hooks.onAssigned(assigned.map((partition) => ({ topic: 't', partition })));
  }

  #checkCommit(partition: number, offset: number, metadata: string | null): void {
    const p = this.partitions[partition] as ModelPartition;
    for (let o = 0; o < offset; o++) {
      if (!p.processed.has(o)) {
        this.violation(`commit of ${partition}@${offset} passes unprocessed offset ${o}`);
        break;
      }
    }
    for (const o of decodeFinished(BigInt(offset), metadata)) {
      if (!p.processed.has(Number(o)))
        this.violation(`metadata of ${partition}@${offset} lists unprocessed ${o}`);
    }
  }

  #ack(partition: number, offset: number): void {
    const before = this.#acked.get(partition);
    if (before !== undefined && offset < before)
      this.violation(`acknowledged commit of ${partition} went back from ${before} to ${offset}`);
    this.#acked.set(partition, offset);
    const p = this.partitions[partition] as ModelPartition;
    p.committed = offset;
  }
}
