/**
 * The share session with one partition leader (KIP-932): epoch 0 opens it, each answered request
 * moves the epoch on, -1 closes it. Requests to one broker go strictly one after another (the epoch
 * orders them); a fetch names only partitions new to the session or carrying acknowledgements, and
 * forgets the ones no longer wanted. Acknowledgements are only valid in the session that acquired
 * the records, so a reset session (the broker lost it, or an epoch went astray) fails them.
 */
import { ShareAcknowledgeError } from '../errors.js';
import { SHARE_ACKNOWLEDGE, type ShareAcknowledgeResponse, shareAcknowledge } from './acknowledge-api.js';
import { codeName, KafkaCode } from './error-codes.js';
import { SHARE_FETCH, type ShareFetchResponse, shareFetch } from './fetch-api.js';
import type { BrokerHandle } from './kafkajs-link.js';
import { type PartitionId, partitionKey, settle, type TakenAcks } from './pending-acks.js';

export interface FetchLimits {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  maxRecords: number;
  batchSize: number;
}

const RESET = new Set<number>([KafkaCode.SHARE_SESSION_NOT_FOUND, KafkaCode.INVALID_SHARE_SESSION_EPOCH]);
const INT32_MAX = 2 ** 31 - 1;
const nextEpoch = (epoch: number) => (epoch >= INT32_MAX ? 1 : epoch + 1);

const byTopic = <T extends PartitionId>(items: readonly T[]) => {
  const topics = new Map<string, { topicId: Buffer; partitions: T[] }>();
  for (const item of items) {
    const id = item.topicId.toString('hex');
    const topic = topics.get(id) ?? { topicId: item.topicId, partitions: [] };
    topic.partitions.push(item);
    topics.set(id, topic);
  }
  return [...topics.values()];
};

/** Partition-level acknowledgement errors of a response, by partition key. */
function ackErrors(
  topics: ReadonlyArray<{
    topicId: Buffer;
    partitions: ReadonlyArray<{ partition: number; code: number; message: string | null }>;
  }>,
) {
  const errors = new Map<string, Error>();
  for (const t of topics) {
    for (const p of t.partitions) {
      if (p.code === KafkaCode.NONE) continue;
      const why = `${codeName(p.code)}${p.message ? `: ${p.message}` : ''}`;
      errors.set(
        partitionKey({ topicId: t.topicId, partition: p.partition }),
        new ShareAcknowledgeError(
          `The broker did not take acknowledgements of partition ${p.partition}: ${why}`,
        ),
      );
    }
  }
  return errors;
}

export class NodeSession {
  readonly #broker: BrokerHandle;
  readonly #groupId: string;
  readonly #memberId: string;
  readonly #version: 1 | 2;
  #epoch = 0;
  #members = new Map<string, PartitionId>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(broker: BrokerHandle, groupId: string, memberId: string) {
    this.#broker = broker;
    this.#groupId = groupId;
    this.#memberId = memberId;
    const fetch = broker.maxVersion(SHARE_FETCH) ?? 1;
    const ack = broker.maxVersion(SHARE_ACKNOWLEDGE) ?? 1;
    this.#version = Math.min(fetch, ack, 2) >= 2 ? 2 : 1;
  }

  get nodeId(): number {
    return this.#broker.nodeId;
  }

  get open(): boolean {
    return this.#epoch > 0;
  }

  get renewSupported(): boolean {
    return this.#version >= 2;
  }

  #serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #reset(): void {
    this.#epoch = 0;
    this.#members = new Map();
  }

  /** One ShareFetch for `wanted`, carrying `acks` of those partitions (only while the session is open). */
  fetch(
    wanted: readonly PartitionId[],
    acks: readonly TakenAcks[],
    limits: FetchLimits,
  ): Promise<ShareFetchResponse> {
    return this.#serial(async () => {
      if (!this.open && acks.length > 0) this.#failStale(acks);
      const carried = this.open ? acks : [];
      const ackOf = new Map(carried.map((a) => [partitionKey(a), a]));
      const wantedKeys = new Map(wanted.map((p) => [partitionKey(p), p]));
      // Acknowledgements ride only with partitions the fetch names; the caller sends the others alone.
      const send = [...wantedKeys].filter(([k]) => !this.#members.has(k) || ackOf.has(k)).map(([, p]) => p);
      const forgotten = [...this.#members].filter(([k]) => !wantedKeys.has(k)).map(([, p]) => p);
      const request = {
        groupId: this.#groupId,
        memberId: this.#memberId,
        shareSessionEpoch: this.#epoch,
        ...limits,
        topics: byTopic(send).map(({ topicId, partitions }) => ({
          topicId,
          partitions: partitions.map((p) => ({
            partition: p.partition,
            acknowledgements: ackOf.get(partitionKey(p))?.batches ?? [],
          })),
        })),
        forgotten: byTopic(forgotten).map(({ topicId, partitions }) => ({
          topicId,
          partitions: partitions.map((p) => p.partition),
        })),
      };
      let response: ShareFetchResponse;
      try {
        response = await this.#broker.send(shareFetch(request, this.#version), {
          lane: 'fetch',
          timeoutMs: limits.maxWaitMs + 30_000,
        });
      } catch (error) {
        this.#reset();
        this.#fail(carried, error, 'the ShareFetch carrying them failed');
        throw error;
      }
      if (RESET.has(response.errorCode)) {
        this.#reset();
        this.#fail(carried, undefined, `the share session was reset (${codeName(response.errorCode)})`);
        return response;
      }
      if (response.errorCode === KafkaCode.NONE) {
        this.#epoch = nextEpoch(this.#epoch);
        this.#members = wantedKeys;
      }
      const errors = ackErrors(
        response.topics.map((t) => ({
          topicId: t.topicId,
          partitions: t.partitions.map((p) => ({
            partition: p.partition,
            code: response.errorCode || p.acknowledgeErrorCode,
            message: p.acknowledgeErrorMessage,
          })),
        })),
      );
      settle(carried, (p) => errors.get(partitionKey(p)));
      return response;
    });
  }

  /**
   * One ShareAcknowledge with `acks`; `close` makes it the session's last request (epoch -1: the
   * broker releases what this member still holds there). `renew` marks RENEW acknowledgements (v2).
   */
  acknowledge(
    acks: readonly TakenAcks[],
    options: { close?: boolean; renew?: boolean } = {},
  ): Promise<ShareAcknowledgeResponse | undefined> {
    return this.#serial(async () => {
      if (!this.open) {
        this.#failStale(acks);
        return undefined;
      }
      const epoch = options.close ? -1 : this.#epoch;
      const request = {
        groupId: this.#groupId,
        memberId: this.#memberId,
        shareSessionEpoch: epoch,
        isRenewAck: options.renew ?? false,
        topics: byTopic(acks).map(({ topicId, partitions }) => ({
          topicId,
          partitions: partitions.map((a) => ({ partition: a.partition, acknowledgements: a.batches })),
        })),
      };
      let response: ShareAcknowledgeResponse;
      try {
        response = await this.#broker.send(shareAcknowledge(request, this.#version));
      } catch (error) {
        this.#reset();
        this.#fail(acks, error, 'the ShareAcknowledge carrying them failed');
        throw error;
      }
      if (options.close || RESET.has(response.errorCode)) this.#reset();
      else if (response.errorCode === KafkaCode.NONE) this.#epoch = nextEpoch(this.#epoch);
      const errors = ackErrors(
        response.topics.map((t) => ({
          topicId: t.topicId,
          partitions: t.partitions.map((p) => ({
            partition: p.partition,
            code: response.errorCode || p.errorCode,
            message: response.errorMessage ?? p.errorMessage,
          })),
        })),
      );
      settle(acks, (p) => errors.get(partitionKey(p)));
      return response;
    });
  }

  #failStale(acks: readonly TakenAcks[]): void {
    this.#fail(acks, undefined, 'their share session is closed (the records return to the group)');
  }

  #fail(acks: readonly TakenAcks[], cause: unknown, why: string): void {
    if (acks.length === 0) return;
    const error = new ShareAcknowledgeError(`Acknowledgements were not delivered: ${why}`, { cause });
    settle(acks, () => error);
  }
}
