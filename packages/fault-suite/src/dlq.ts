import { DLQ_HEADERS } from '@kafkakit/kafka-consumer';
import { type ConsumedRecord, consumeAll, readEndOffsets, testClient } from '@kafkakit/kafka-testkit';
import { ID_HEADER } from './producer.js';
import type { DeadLetterRecord } from './types.js';

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : Array.isArray(value) ? String(value[0]) : String(value);

/** Every record on `topic` (none when the topic does not exist), read from the beginning. */
export async function readAllRecords(brokers: string[], topic: string): Promise<ConsumedRecord[]> {
  const admin = testClient(brokers, 'fault-suite-dlq').admin();
  await admin.connect();
  let exists: boolean;
  try {
    exists = (await admin.listTopics()).includes(topic);
  } finally {
    await admin.disconnect();
  }
  if (!exists) return [];
  const ends = await readEndOffsets(brokers, topic);
  const count = Object.values(ends).reduce((sum, high) => sum + Number(high), 0);
  return consumeAll(brokers, topic, count, { timeoutMs: 60_000 });
}

export function toDeadLetter(record: ConsumedRecord): DeadLetterRecord {
  return {
    id: text(record.headers[ID_HEADER]) ?? '?',
    sourcePartition: Number(text(record.headers[DLQ_HEADERS.sourcePartition]) ?? '-1'),
    sourceOffset: text(record.headers[DLQ_HEADERS.sourceOffset]) ?? '-1',
  };
}

export async function readDeadLetters(brokers: string[], topic: string): Promise<DeadLetterRecord[]> {
  return (await readAllRecords(brokers, topic)).map(toDeadLetter);
}
