/**
 * A batch KafkaJS cannot decode (an unknown codec, corrupt compressed data, a corrupt record batch)
 * must not fail the whole fetch. KafkaJS decodes a Fetch response for every partition at once, in
 * the connection, before any `eachBatch`: one bad batch rejects the fetch, the runner crashes, the
 * consumer restarts, fetches the same batch again — a crash loop that also starves every other
 * partition the same broker leads.
 *
 * KafkaJS 2.2.4 looks the Fetch response decoder up on its module object at each request
 * (`response.decode(payload)` in network/connection.js), so this wraps the v11 decoder (the version
 * KafkaJS uses with brokers >= 2.3): a response that decodes is returned untouched (no cost on the
 * normal path); one that fails is decoded again partition by partition. A partition whose record set
 * fails keeps the records of the batches before the bad one and returns nothing from it on; when
 * the bad batch is the first one fetched, the partition is reported — with topic, partition and the bad batch's offsets — to the consumer whose request it
 * was (every consumer client registers the topics it consumes; an AsyncLocalStorage context was
 * dropped: on Node 20 it hooks every promise, about 10% more CPU per message), which pauses it. Older Fetch versions are left as they are.
 */
import { createRequire } from 'node:module';

export interface UndecodableBatch {
  topic: string;
  partition: number;
  /** The first offset of the batch that cannot be decoded. */
  offset: string;
  /** The last offset of that batch, when its header could be read (skip to this + 1 to get past it). */
  lastOffset: string | undefined;
  error: Error;
}

export type UndecodableListener = (batch: UndecodableBatch) => void;

interface Decoder {
  offset: number;
  buffer: Buffer;
  readInt16(): number;
  readInt32(): number;
  readInt64(): { toString(): string };
  readString(): string;
  readBytes(size: number): Buffer;
  canReadBytes(size: number): boolean;
  readArray<T>(reader: (d: Decoder) => T): T[];
  readArrayAsync<T>(reader: (d: Decoder) => Promise<T>): Promise<T[]>;
}

type DecoderClass = new (buffer: Buffer) => Decoder;
type ResponseModule = { decode: (raw: Buffer) => Promise<unknown>; __kafkakitTolerant?: true };

/** Consumer clients by the topics they consume (a process usually has one). */
const watchers = new Map<string, Set<UndecodableListener>>();
const require = createRequire(import.meta.url);

/** Reports undecodable batches of `topics` to `listener` until the returned function is called. */
export function watchUndecodable(topics: readonly string[], listener: UndecodableListener): () => void {
  install();
  for (const topic of topics) {
    const set = watchers.get(topic) ?? new Set<UndecodableListener>();
    set.add(listener);
    watchers.set(topic, set);
  }
  return () => {
    for (const topic of topics) {
      const set = watchers.get(topic);
      set?.delete(listener);
      if (set?.size === 0) watchers.delete(topic);
    }
  };
}

const MAGIC_OFFSET = 16;
const BATCH_OVERHEAD = 49;
const LAST_OFFSET_DELTA_AT = 23;

let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  let response: ResponseModule;
  let Decoder: DecoderClass;
  let decodeBatch: (d: Decoder) => Promise<{ records: unknown[] }>;
  try {
    response = require('kafkajs/src/protocol/requests/fetch/v11/response.js');
    Decoder = require('kafkajs/src/protocol/decoder.js');
    decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
  } catch {
    return; // Another KafkaJS layout: leave its behaviour unchanged.
  }
  if (typeof response.decode !== 'function' || response.__kafkakitTolerant) return;
  const original = response.decode;
  const recordSet = async (decoder: Decoder, topic: string, partition: number): Promise<unknown[]> => {
    const size = decoder.readInt32();
    if (size <= 0 || !decoder.canReadBytes(size)) return [];
    const bytes = decoder.readBytes(size);
    if (bytes.length <= MAGIC_OFFSET || bytes.readInt8(MAGIC_OFFSET) !== 2) {
      return failed(topic, partition, bytes, 0, new Error('legacy message set could not be decoded'));
    }
    const batches = new Decoder(bytes);
    const records: unknown[] = [];
    while (batches.canReadBytes(BATCH_OVERHEAD)) {
      const start = batches.offset;
      try {
        records.push(...(await decodeBatch(batches)).records);
      } catch (error) {
        // A partial batch is how maxBytes cuts a fetch (as KafkaJS itself, keep what came before).
        // After good batches, deliver those: the next fetch starts at the bad one and reports it
        // (pausing now would make KafkaJS drop the good records with the rest of the fetch).
        const partial = (error as Error).name === 'KafkaJSPartialMessageError';
        if (!partial && records.length === 0) failed(topic, partition, bytes, start, error);
        break;
      }
    }
    return records;
  };
  const tolerant = async (raw: Buffer) => {
    const decoder = new Decoder(raw);
    const clientSideThrottleTime = decoder.readInt32();
    const errorCode = decoder.readInt16();
    const sessionId = decoder.readInt32();
    const responses = await decoder.readArrayAsync(async (t) => {
      const topicName = t.readString();
      const partitions = await t.readArrayAsync(async (p) => {
        const partition = p.readInt32();
        return {
          partition,
          errorCode: p.readInt16(),
          highWatermark: p.readInt64().toString(),
          lastStableOffset: p.readInt64().toString(),
          lastStartOffset: p.readInt64().toString(),
          abortedTransactions: p.readArray((a) => ({
            producerId: a.readInt64().toString(),
            firstOffset: a.readInt64().toString(),
          })),
          preferredReadReplica: p.readInt32(),
          messages: await recordSet(p, topicName, partition),
        };
      });
      return { topicName, partitions };
    });
    return { throttleTime: 0, clientSideThrottleTime, errorCode, sessionId, responses };
  };
  response.decode = async (raw: Buffer) => {
    try {
      return await original(raw);
    } catch (error) {
      // Only processes with a watching consumer get the tolerant decoding; others keep KafkaJS's.
      if (watchers.size === 0) throw error;
      return tolerant(raw);
    }
  };
  response.__kafkakitTolerant = true;
}

function failed(topic: string, partition: number, bytes: Buffer, at: number, error: unknown): [] {
  const offset = bytes.length >= at + 8 ? bytes.readBigInt64BE(at).toString() : 'unknown';
  const lastOffset =
    bytes.length >= at + LAST_OFFSET_DELTA_AT + 4 && offset !== 'unknown'
      ? (BigInt(offset) + BigInt(bytes.readInt32BE(at + LAST_OFFSET_DELTA_AT))).toString()
      : undefined;
  const cause = error instanceof Error ? error : new Error(String(error));
  for (const listener of watchers.get(topic) ?? [])
    listener({ topic, partition, offset, lastOffset, error: cause });
  return [];
}

/** What the runtime says about a held undecodable batch: where it is, why, and how to get past it. */
export function describeUndecodable(batch: UndecodableBatch, groupId: string): string {
  const { topic, partition, offset, lastOffset } = batch;
  const span = lastOffset === undefined || lastOffset === offset ? '' : ` (offsets ${offset}..${lastOffset})`;
  const next = lastOffset === undefined ? 'the offset after it' : `offset ${BigInt(lastOffset) + 1n}`;
  return (
    `cannot decode the record batch at offset ${offset}${span} of ${topic}[${partition}]: ${batch.error.message}. ` +
    'The partition is paused, the others go on. To skip the batch, stop the group and reset it to ' +
    `${next} (kafka-consumer-groups --group ${groupId} --topic ${topic}:${partition} --reset-offsets ` +
    `--to-offset ${lastOffset === undefined ? '<next>' : BigInt(lastOffset) + 1n} --execute); ` +
    `after fixing the cause instead (e.g. a codec), call resumePartition('${topic}', ${partition})`
  );
}
