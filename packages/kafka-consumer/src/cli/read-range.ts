import type { Kafka } from 'kafkajs';
import { ClientError, KafkaConsumerError, toError } from '../errors.js';
import type { TopicRecord } from './dead-letter-record.js';
import { readerGroup, toRecord } from './kafka.js';

/** Offsets [from, to) of one partition. */
export interface OffsetRange {
  partition: number;
  from: bigint;
  to: bigint;
}

/** The records of one fetched batch inside its range, with the calls valid while it is handled. */
export interface RangeBatch {
  partition: number;
  records: TopicRecord[];
  /** Commits `offset` (the next to read) with `metadata` for the group; resolves once acknowledged. */
  commit(offset: bigint, metadata: string | null): Promise<void>;
  heartbeat(): Promise<void>;
}

/** `false` stops the whole read (e.g. a limit was reached). */
export type BatchHandler = (batch: RangeBatch) => Promise<boolean>;

/** The reader's session timeout: the broker's smallest by default (group.min.session.timeout.ms). */
export const SESSION_TIMEOUT_MS = 6000;

/** How long a read may go without receiving a batch before it fails. */
const IDLE_BOUND_MS = 30_000;

/**
 * Reads the given ranges of `topic` batch by batch (offset order within a partition) and stops once
 * every range is read, `onBatch` returns false, or it throws (the read then rejects with its error).
 * With no `groupId` the consumer group is a throwaway one (KafkaJS cannot fetch without a group)
 * that commits nothing, which the broker forgets as soon as it is empty.
 */
export async function readRanges(
  kafka: Kafka,
  topic: string,
  ranges: readonly OffsetRange[],
  onBatch: BatchHandler,
  options: { groupId?: string } = {},
): Promise<void> {
  const open = new Map(ranges.filter((r) => r.from < r.to).map((r) => [r.partition, r]));
  if (open.size === 0) return;
  const consumer = kafka.consumer({
    groupId: options.groupId ?? readerGroup(),
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 250,
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: 1000,
  });
  let finish!: (error?: Error) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  let idle: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(
      () => finish(new ClientError(`reading ${topic} received nothing for ${IDLE_BOUND_MS / 1000} s`)),
      IDLE_BOUND_MS,
    );
  };
  // Where each open partition goes on: sought at every join (the first, and after a crash restart),
  // and the floor below which a (re)fetched record was handled already.
  const next = new Map([...open.values()].map((r) => [r.partition, r.from]));
  const seekAll = () => {
    const closed = ranges.filter((r) => !open.has(r.partition)).map((r) => r.partition);
    if (closed.length > 0) consumer.pause([{ topic, partitions: closed }]);
    for (const [partition, offset] of next)
      if (open.has(partition)) consumer.seek({ topic, partition, offset: String(offset) });
  };
  const offJoin = consumer.on(consumer.events.GROUP_JOIN, () => {
    try {
      seekAll();
    } catch (error) {
      finish(toError(error));
    }
  });
  const offCrash = consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) finish(toError(payload.error));
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    armIdle();
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        armIdle();
        const range = open.get(batch.partition);
        const floor = next.get(batch.partition);
        if (range === undefined || floor === undefined) return;
        const inRange = batch.messages.filter(
          (m) => BigInt(m.offset) >= floor && BigInt(m.offset) < range.to,
        );
        try {
          const go = await onBatch({
            partition: batch.partition,
            records: inRange.map((m) => toRecord(batch.partition, m)),
            commit: (offset, metadata) =>
              consumer.commitOffsets([
                { topic, partition: batch.partition, offset: String(offset), metadata },
              ]),
            heartbeat,
          });
          for (const m of batch.messages) resolveOffset(m.offset);
          // lastOffset() also covers records KafkaJS filtered out (control records of transactions).
          const last = BigInt(batch.lastOffset());
          if (last + 1n > floor) next.set(batch.partition, last + 1n);
          if (last + 1n >= range.to) {
            open.delete(batch.partition);
            consumer.pause([{ topic, partitions: [batch.partition] }]);
          }
          if (!go || open.size === 0) finish();
        } catch (error) {
          finish(toError(error));
        }
      },
    });
    await finished;
  } catch (error) {
    throw error instanceof KafkaConsumerError
      ? error
      : new ClientError(`reading ${topic} failed: ${toError(error).message}`, { cause: error });
  } finally {
    offJoin();
    offCrash();
    clearTimeout(idle);
    await consumer.disconnect().catch(() => undefined);
  }
}

/** Adapts a per-record callback (no commits): `false` stops the read. */
export const eachRecord =
  (onRecord: (record: TopicRecord) => boolean | undefined): BatchHandler =>
  async ({ records }) => {
    for (const record of records) if (onRecord(record) === false) return false;
    return true;
  };
