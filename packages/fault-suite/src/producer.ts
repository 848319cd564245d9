import { testClient } from '@kafkakit/kafka-testkit';
import type { IHeaders, Producer } from 'kafkajs';
import type { AckedMessage } from './types.js';

/** Header carrying the message id on every record the suite produces (and the DLQ keeps). */
export const ID_HEADER = 'x-fault-id';

export interface OutgoingMessage {
  id: string;
  partition: number;
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: IHeaders;
}

/** Distinct keys per partition of the standard messages (each key repeats, for the per-key checks). */
export const KEYS_PER_PARTITION = 32;

/** The standard numbered message: id `partition:seq`, key `k<seq % 32>`, JSON value, id header. */
export function numbered(partition: number, seq: number): OutgoingMessage {
  const id = `${partition}:${seq}`;
  return { id, partition, key: `k${seq % KEYS_PER_PARTITION}`, value: JSON.stringify({ id, seq }) };
}

/**
 * An idempotent producer (no duplicate records from its own retries) that records exactly which
 * sends the broker acknowledged with acks=all, with the offset each record got.
 */
export class AckingProducer {
  readonly acked: AckedMessage[] = [];
  failedSends = 0;
  readonly #producer: Producer;

  constructor(
    brokers: string[],
    private readonly topic: string,
  ) {
    this.#producer = testClient(brokers, 'fault-suite-producer').producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  /** Sends one batch; on success records every message as acknowledged. Rethrows a failed send. */
  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const ordered = [...messages].sort((a, b) => a.partition - b.partition);
    try {
      const metadata = await this.#producer.send({
        topic: this.topic,
        acks: -1,
        messages: ordered.map((m) => ({
          partition: m.partition,
          key: m.key === undefined ? m.id : m.key,
          value: m.value === undefined ? m.id : m.value,
          headers: { ...m.headers, [ID_HEADER]: m.id },
        })),
      });
      const base = new Map(metadata.map((r) => [r.partition, BigInt(r.baseOffset ?? '-1')]));
      const index = new Map<number, bigint>();
      for (const m of ordered) {
        const start = base.get(m.partition);
        if (start === undefined || start < 0n) throw new Error(`no base offset for partition ${m.partition}`);
        const i = index.get(m.partition) ?? 0n;
        index.set(m.partition, i + 1n);
        this.acked.push({
          id: m.id,
          topic: this.topic,
          partition: m.partition,
          offset: (start + i).toString(),
        });
      }
    } catch (error) {
      this.failedSends++;
      throw error;
    }
  }

  disconnect(): Promise<void> {
    return this.#producer.disconnect();
  }
}

/** Produces `perPartition` numbered messages to each partition, in chunks; returns what was acknowledged. */
export async function produceNumbered(
  brokers: string[],
  topic: string,
  partitions: number,
  perPartition: number,
  firstSeq = 0,
): Promise<AckedMessage[]> {
  const producer = new AckingProducer(brokers, topic);
  await producer.connect();
  try {
    const chunk = Math.max(1, Math.floor(3000 / partitions));
    for (let start = 0; start < perPartition; start += chunk) {
      const batch: OutgoingMessage[] = [];
      for (let p = 0; p < partitions; p++) {
        for (let s = start; s < Math.min(perPartition, start + chunk); s++)
          batch.push(numbered(p, firstSeq + s));
      }
      await producer.send(batch);
    }
  } finally {
    await producer.disconnect();
  }
  return producer.acked;
}

export interface BackgroundProducer {
  /** Stops after the send in progress; resolves with everything acknowledged. */
  stop(): Promise<AckedMessage[]>;
  readonly acked: readonly AckedMessage[];
}

/**
 * Keeps producing numbered messages (`perTick` per partition every `tickMs`) until stopped. A failed
 * send is counted and the next tick tries new messages: only acknowledged ones are owed.
 */
export async function startBackgroundProducer(
  brokers: string[],
  topic: string,
  options: { partitions: number; perTick: number; tickMs: number; firstSeq?: number },
): Promise<BackgroundProducer> {
  const producer = new AckingProducer(brokers, topic);
  await producer.connect();
  let seq = options.firstSeq ?? 0;
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      const batch: OutgoingMessage[] = [];
      for (let p = 0; p < options.partitions; p++)
        for (let i = 0; i < options.perTick; i++) batch.push(numbered(p, seq + i));
      seq += options.perTick;
      await producer.send(batch).catch(() => undefined);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.tickMs);
      });
    }
  })();
  return {
    acked: producer.acked,
    stop: async () => {
      running = false;
      wake?.();
      await loop;
      await producer.disconnect();
      return producer.acked;
    },
  };
}
