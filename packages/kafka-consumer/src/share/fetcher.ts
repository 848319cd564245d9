/**
 * Fetching and acknowledging for one share-group member: one NodeSession per partition leader,
 * the records handed out and not yet acknowledged, and the acknowledgements waiting to ride on the
 * next fetch (or, after `acknowledgeLingerMs` without one, on an explicit ShareAcknowledge).
 */
import { ShareAcknowledgeError } from '../errors.js';
import { AcknowledgeType, type AcknowledgeTypeCode } from './acknowledgement-batches.js';
import { KafkaCode } from './error-codes.js';
import type { FetchPartitionResponse } from './fetch-api.js';
import type { AssignedTopic } from './heartbeat-api.js';
import { HeldRecords } from './held-records.js';
import type { KafkaJsLink } from './kafkajs-link.js';
import { type FetchLimits, NodeSession } from './node-session.js';
import { type PartitionId, PendingAcks, partitionKey, settle } from './pending-acks.js';
import { partitionRecords, type ShareRecord } from './records.js';
import { TopicIndex } from './topic-index.js';

export interface FetcherLimits extends FetchLimits {
  /** Longest wait before queued acknowledgements go without a fetch. */
  acknowledgeLingerMs: number;
}

export const FETCHER_DEFAULTS: FetcherLimits = {
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes: 50 * 1024 * 1024,
  maxRecords: 500,
  batchSize: 500,
  acknowledgeLingerMs: 100,
};

const LEADER_MOVED = new Set<number>([
  KafkaCode.NOT_LEADER_OR_FOLLOWER,
  KafkaCode.UNKNOWN_TOPIC_OR_PARTITION,
  KafkaCode.UNKNOWN_TOPIC_ID,
]);

export interface FetcherOptions {
  link: KafkaJsLink;
  groupId: string;
  memberId: string;
  topics: readonly string[];
  limits: Partial<FetcherLimits>;
}

export class Fetcher {
  readonly #o: FetcherOptions;
  readonly #limits: FetcherLimits;
  readonly #index: TopicIndex;
  readonly #nodes = new Map<number, NodeSession>();
  readonly #pending = new PendingAcks();
  readonly #held = new HeldRecords();
  #assignment: PartitionId[] = [];
  #assigned: Array<() => void> = [];
  #fetching = false;
  #closed = false;
  #linger: NodeJS.Timeout | undefined;
  #lockMs = 30_000;

  constructor(options: FetcherOptions) {
    this.#o = options;
    this.#limits = {
      ...FETCHER_DEFAULTS,
      ...Object.fromEntries(Object.entries(options.limits).filter(([, v]) => v !== undefined)),
    };
    this.#index = new TopicIndex(options.link, options.topics);
  }

  assign(assignment: readonly AssignedTopic[]): void {
    this.#assignment = assignment.flatMap((t) =>
      t.partitions.map((partition) => ({ topicId: t.topicId, partition })),
    );
    if (this.#assignment.length === 0) return;
    for (const wake of this.#assigned.splice(0)) wake();
  }

  /** Waits up to `ms` for a non-empty assignment. */
  #untilAssigned(ms: number): Promise<void> {
    if (this.#assignment.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#assigned.push(done);
    });
  }

  async #node(nodeId: number): Promise<NodeSession> {
    let node = this.#nodes.get(nodeId);
    if (node === undefined) {
      node = new NodeSession(await this.#o.link.node(nodeId), this.#o.groupId, this.#o.memberId);
      this.#nodes.set(nodeId, node);
    }
    return node;
  }

  async fetch(): Promise<ShareRecord[]> {
    if (this.#fetching) throw new Error('One fetch() at a time: the previous one has not returned');
    if (this.#closed) throw new Error('The share session is closed');
    this.#fetching = true;
    clearTimeout(this.#linger);
    this.#linger = undefined;
    try {
      await this.#untilAssigned(this.#limits.maxWaitMs);
      const assignment = this.#assignment;
      if (assignment.length === 0) return [];
      const byNode = await this.#index.leaders(assignment);
      const results = await Promise.all(
        [...byNode]
          .filter(([nodeId]) => nodeId >= 0)
          .map(async ([nodeId, wanted]) => {
            const node = await this.#node(nodeId);
            const keys = new Set(wanted.map(partitionKey));
            const acks = this.#pending.take((p) => keys.has(partitionKey(p)));
            const response = await node.fetch(wanted, acks, this.#limits);
            if (response.errorCode !== KafkaCode.NONE) return [];
            if (response.acquisitionLockTimeoutMs > 0) this.#lockMs = response.acquisitionLockTimeoutMs;
            const expires = Date.now() + this.#lockMs;
            const batches = await Promise.all(
              response.topics.flatMap((t) => t.partitions.map((p) => this.#accept(t.topicId, p, expires))),
            );
            return batches.flat();
          }),
      );
      if (byNode.has(-1)) this.#index.invalidate();
      return results.flat();
    } finally {
      this.#fetching = false;
      this.#scheduleLinger();
    }
  }

  async #accept(topicId: Buffer, p: FetchPartitionResponse, expires: number): Promise<ShareRecord[]> {
    if (LEADER_MOVED.has(p.errorCode)) this.#index.invalidate();
    if (p.errorCode !== KafkaCode.NONE || p.acquired.length === 0) return [];
    const id = { topicId, partition: p.partition };
    const topic = (await this.#index.name(topicId)) ?? topicId.toString('hex');
    const { records, gaps, undecodable } = await partitionRecords(
      topic,
      p.partition,
      p.records,
      p.acquired,
      expires,
    );
    if (gaps.length > 0) this.#pending.add(id, gaps, AcknowledgeType.GAP).catch(() => undefined);
    // Records that cannot be read would come back forever: reject them (never delivered again).
    if (undecodable)
      this.#pending.add(id, undecodable.offsets, AcknowledgeType.REJECT).catch(() => undefined);
    this.#held.add(id, records);
    return records;
  }

  /** The partitions assigned now, by topic name; waits up to `waitMs` for a first assignment. */
  async assigned(waitMs: number): Promise<Array<{ topic: string; partition: number }>> {
    await this.#untilAssigned(waitMs);
    const named = await Promise.all(
      this.#assignment.map(async (p) => ({
        topic: await this.#index.name(p.topicId),
        partition: p.partition,
      })),
    );
    return named.filter((p): p is { topic: string; partition: number } => p.topic !== undefined);
  }

  get lockDurationMs(): number {
    return this.#lockMs;
  }

  /** Records handed out and not yet acknowledged (their locks are this member's to keep). */
  outstanding(): ShareRecord[] {
    return this.#held.all();
  }

  /** Queues acknowledgements of records this fetcher handed out. */
  acknowledge(records: readonly ShareRecord[], type: AcknowledgeTypeCode): Promise<void> {
    const stranger = records.find((r) => this.#held.partitionOf(r) === undefined);
    if (stranger !== undefined) {
      const where = `${stranger.topic}[${stranger.partition}]@${stranger.offset}`;
      return Promise.reject(new ShareAcknowledgeError(`Record ${where} was not handed out by this session`));
    }
    // The first acknowledgement of a record counts; later ones find nothing to take.
    let superseded: ShareRecord | undefined;
    const byPartition = this.#held.take(records, (r) => {
      superseded ??= r;
    });
    const done = byPartition.map(({ id, offsets }) => this.#pending.add(id, offsets, type));
    this.#scheduleLinger();
    const all = Promise.all(done).then(() => undefined);
    if (superseded === undefined) return all;
    const where = `${superseded.topic}[${superseded.partition}]@${superseded.offset}`;
    return all.then(() =>
      Promise.reject(
        new ShareAcknowledgeError(
          `Record ${where} was delivered to this member again (its lock had run out): this acknowledgement is not taken, the later delivery's is`,
        ),
      ),
    );
  }

  #scheduleLinger(): void {
    if (this.#closed || this.#fetching || this.#linger !== undefined || this.#pending.size === 0) return;
    this.#linger = setTimeout(() => {
      this.#linger = undefined;
      if (!this.#fetching) this.flush().catch(() => undefined);
    }, this.#limits.acknowledgeLingerMs);
  }

  /** Sends every queued acknowledgement now, one ShareAcknowledge per leader. */
  async flush(options: { close?: boolean } = {}): Promise<void> {
    const partitions = this.#pending.partitions();
    const byNode =
      partitions.length > 0 ? await this.#index.leaders(partitions) : new Map<number, PartitionId[]>();
    if (options.close)
      for (const nodeId of this.#nodes.keys()) if (!byNode.has(nodeId)) byNode.set(nodeId, []);
    await Promise.all(
      [...byNode].map(async ([nodeId, list]) => {
        const keys = new Set(list.map(partitionKey));
        const acks = this.#pending.take((p) => keys.has(partitionKey(p)));
        const node = nodeId >= 0 ? this.#nodes.get(nodeId) : undefined;
        if (node === undefined) {
          // The leader moved to a broker this member never fetched from: no session holds them there.
          const error = new ShareAcknowledgeError(
            'Acknowledgements were not delivered: the partition has a new leader',
          );
          settle(acks, () => error);
          return;
        }
        if (acks.length > 0 || options.close) await node.acknowledge(acks, { close: options.close });
      }),
    );
  }

  /** Extends the acquisition locks of `records` (RENEW, ShareAcknowledge v2); resolves with the new expiry. */
  async renew(records: readonly ShareRecord[]): Promise<number> {
    const renewals = new PendingAcks();
    const waits: Promise<void>[] = [];
    for (const r of records) {
      const id = this.#held.partitionOf(r);
      if (id !== undefined) waits.push(renewals.add(id, [BigInt(r.offset)], AcknowledgeType.RENEW));
    }
    const byNode = await this.#index.leaders(renewals.partitions());
    let lockMs = this.#lockMs;
    await Promise.all(
      [...byNode].map(async ([nodeId, list]) => {
        const node = this.#nodes.get(nodeId);
        const keys = new Set(list.map(partitionKey));
        const acks = renewals.take((p) => keys.has(partitionKey(p)));
        if (node === undefined || !node.renewSupported) {
          throw new ShareAcknowledgeError(
            'Renewing acquisition locks needs Kafka 4.2+ (ShareAcknowledge v2)',
          );
        }
        const response = await node.acknowledge(acks, { renew: true });
        if (response && response.acquisitionLockTimeoutMs > 0) lockMs = response.acquisitionLockTimeoutMs;
      }),
    );
    await Promise.all(waits);
    return Date.now() + lockMs;
  }

  /**
   * Releases every record handed out and not acknowledged, sends all queued acknowledgements and
   * closes every share session (epoch -1).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#linger);
    for (const { id, offsets } of this.#held.takeAll())
      this.#pending.add(id, offsets, AcknowledgeType.RELEASE).catch(() => undefined);
    await this.flush({ close: true });
  }
}
