import type { Kafka } from 'kafkajs';
import { REDRIVE_HEADERS } from '../dead-letter/redrive-headers.js';
import { headerText } from './dead-letter-record.js';
import type { Admin } from './kafka.js';
import { partitionOffsets } from './kafka.js';
import { eachRecord, type OffsetRange, readRanges } from './read-range.js';
import { parseOrigin } from './redrive-headers.js';

/**
 * The write-ahead note of a redrive chunk, kept in the progress group's commit metadata.
 *
 * Before a chunk of DLQ records [committed, last] is written, the group commits its unchanged
 * offset with this note: the end offset of every target partition the chunk will write to. After
 * every write of the chunk is acknowledged, the group commits `last + 1` with no note. So a run
 * killed anywhere leaves either no note (nothing of the next chunk was written) or a note whose
 * target ranges [end, now) hold every write of that chunk that reached the broker: the next run
 * reads those ranges, finds the x-redrive-origin headers of this DLQ and skips exactly those
 * records. Nothing is written twice, nothing skipped.
 */
export interface Intent {
  /** Last DLQ offset of the chunk. */
  last: bigint;
  /** [topic, partition, end offset before the chunk]. */
  ends: Array<[string, number, string]>;
}

const PREFIX = 'kafkakit-redrive/1 ';
/**
 * The broker's default offset.metadata.max.bytes is 4096: a chunk stops taking records once its
 * note's target entries reach this many bytes (a 249-character topic name still fits at least 12).
 */
export const INTENT_MAX_BYTES = 3000;
/** What one [topic, partition, end] entry adds to a note, at most. */
export const noteEntryBytes = (topic: string) => topic.length + 32;

export function encodeIntent(intent: Intent): string {
  return PREFIX + JSON.stringify({ last: String(intent.last), ends: intent.ends });
}

export function decodeIntent(metadata: string | null): Intent | undefined {
  if (metadata === null || !metadata.startsWith(PREFIX)) return undefined;
  try {
    const raw = JSON.parse(metadata.slice(PREFIX.length)) as { last: string; ends: Intent['ends'] };
    return { last: BigInt(raw.last), ends: raw.ends };
  } catch {
    return undefined;
  }
}

/** A DLQ partition whose last chunk may be partly written: its committed offset and note. */
export interface InDoubt {
  partition: number;
  from: bigint;
  intent: Intent;
}

/** `<partition>/<offset>` of the DLQ records already in a target. */
export type Written = Set<string>;
export const writtenKey = (partition: number, offset: string | bigint) => `${partition}/${offset}`;

/** Reads the targets' noted ranges and returns which in-doubt DLQ records are already there. */
export async function findWritten(
  kafka: Kafka,
  admin: Admin,
  dlqTopic: string,
  inDoubt: readonly InDoubt[],
): Promise<Written> {
  const written: Written = new Set();
  const byTopic = new Map<string, Map<number, bigint>>();
  for (const { intent } of inDoubt)
    for (const [topic, partition, end] of intent.ends) {
      const partitions = byTopic.get(topic) ?? new Map<number, bigint>();
      const known = partitions.get(partition);
      if (known === undefined || BigInt(end) < known) partitions.set(partition, BigInt(end));
      byTopic.set(topic, partitions);
    }
  const doubt = new Map(inDoubt.map((d) => [d.partition, d]));
  for (const [topic, partitions] of byTopic) {
    const now = new Map((await partitionOffsets(admin, topic)).map((p) => [p.partition, p.high]));
    const ranges: OffsetRange[] = [...partitions].map(([partition, from]) => ({
      partition,
      from,
      to: now.get(partition) ?? from,
    }));
    await readRanges(
      kafka,
      topic,
      ranges,
      eachRecord((record) => {
        const origin = parseOrigin(headerText(record.headers, REDRIVE_HEADERS.origin) ?? '');
        const d = origin === undefined ? undefined : doubt.get(origin.partition);
        if (origin === undefined || d === undefined || origin.topic !== dlqTopic) return;
        const offset = BigInt(origin.offset);
        if (offset >= d.from && offset <= d.intent.last) written.add(writtenKey(d.partition, offset));
        return undefined;
      }),
    );
  }
  return written;
}
