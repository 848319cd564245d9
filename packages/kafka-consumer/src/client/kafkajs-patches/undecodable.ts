/**
 * A batch KafkaJS cannot decode (an unknown codec, corrupt compressed data, a corrupt record batch)
 * must not fail the whole fetch. KafkaJS decodes a Fetch response for every partition at once, in
 * the connection, before any `eachBatch`: one bad batch rejects the fetch, the runner crashes, the
 * consumer restarts, fetches the same batch again — a crash loop that also starves every other
 * partition the same broker leads. And KafkaJS checks no CRC: a batch whose bytes were damaged on
 * the broker's disk may decode into wrong records, delivered as if nothing happened.
 *
 * KafkaJS 2.2.4 looks up the Fetch request builder on its module object at each request
 * (`requests.Fetch.protocol` in broker/index.js), so this wraps the v11 one (the version KafkaJS uses
 * with brokers >= 2.3): a fetch for a topic some consumer watches gets a response decoder that knows
 * the request's offsets. It checks the CRC32C of every complete v2 batch of the watched topics (see
 * batch-crc.ts), then decodes as KafkaJS does; a response that decodes and checks out is returned
 * untouched. One that fails is decoded again partition by partition: a partition whose record set
 * fails keeps the records of the batches before the bad one and returns nothing from it on; when
 * the bad batch is the first one fetched, the partition is reported — with topic, partition and the
 * bad batch's offsets — to the consumer whose topics it is (every consumer client registers the
 * topics it consumes; an AsyncLocalStorage context was dropped: on Node 20 it hooks every promise,
 * about 10% more CPU per message), which pauses it. A partition the broker answers with
 * CORRUPT_MESSAGE (it cannot read its own log there, e.g. a damaged batch length) is reported at
 * the request's fetch offset instead of failing the fetch; so is one the broker answers with nothing,
 * again and again, although it has records there (fetch-stall.ts). Other Fetch versions are left as
 * they are.
 */
import { createRequire } from 'node:module';
import type { UndecodableBatch, UndecodableKind } from '../port.js';
import { type FetchScan, scanFetchResponse } from './batch-crc.js';
import { FetchStalls, type StallResponse } from './fetch-stall.js';
import { missingMember, processShared } from './registry.js';
import { type Decoder, type DecoderClass, tolerantFetchDecoder } from './tolerant-fetch.js';

export type { UndecodableBatch, UndecodableKind } from '../port.js';

export type UndecodableListener = (batch: UndecodableBatch) => void;

interface FetchResponse extends StallResponse {
  clientSideThrottleTime?: number;
  throttleTime?: number;
}
interface ResponseModule {
  decode: (raw: Buffer) => Promise<FetchResponse>;
  parse: (data: FetchResponse) => Promise<unknown>;
}
interface FetchArgs {
  topics?: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: unknown }> }>;
}
type FetchBuilder = (args: FetchArgs) => { response: ResponseModule };
type FetchProtocol = { protocol: (v: { version: number }) => FetchBuilder; __kafkakitTolerant?: true };

/** Consumer clients by the topics they consume (a process usually has one). */
const watchers = processShared('undecodable-watchers', () => new Map<string, Set<UndecodableListener>>());
const watched = (topic: string) => watchers.has(topic);
const require = createRequire(import.meta.url);

/** Reports undecodable batches of `topics` to `listener` until the returned function is called. */
export function watchUndecodable(topics: readonly string[], listener: UndecodableListener): () => void {
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

const LAST_OFFSET_DELTA_AT = 23;
/** Kafka's CORRUPT_MESSAGE: the broker found its own log unreadable at the fetch offset. */
const CORRUPT_MESSAGE = 2;
/** Empty answers in a row, at one offset below the readable end, before a partition is held as stalled. */
const STALLED_FETCHES = 3;
const stalls = processShared('fetch-stalls', () => new FetchStalls(STALLED_FETCHES));

/**
 * Installs the tolerant Fetch decoding (see install.ts, the one install point); returns why it
 * could not (another KafkaJS layout: its behaviour stays), or undefined.
 */
export function installTolerantFetch(): string | undefined {
  let fetch: FetchProtocol;
  let Decoder: DecoderClass;
  let decodeBatch: (d: Decoder) => Promise<{ records: unknown[] }>;
  let decodeMessageSet: (d: Decoder, size: number) => Promise<unknown[]>;
  try {
    fetch = require('kafkajs/src/protocol/requests/fetch/index.js');
    Decoder = require('kafkajs/src/protocol/decoder.js');
    decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
    decodeMessageSet = require('kafkajs/src/protocol/messageSet/decoder.js');
  } catch (error) {
    return `KafkaJS's Fetch request or record-batch decoder cannot be loaded (${(error as Error).message})`;
  }
  const missing =
    missingMember(fetch, ['protocol'], 'requests/fetch') ??
    (typeof Decoder !== 'function' ? 'protocol/decoder is not a class' : undefined) ??
    (typeof decodeBatch !== 'function' ? 'recordBatch/v0/decoder is not a function' : undefined) ??
    (typeof decodeMessageSet !== 'function' ? 'messageSet/decoder is not a function' : undefined);
  if (missing !== undefined) return missing;
  if (fetch.__kafkakitTolerant) return undefined;
  const tolerant = tolerantFetchDecoder({ Decoder, decodeBatch, decodeMessageSet, checked: watched, failed });
  const decodeWatched = async (original: ResponseModule, raw: Buffer, args: FetchArgs) => {
    let scan: FetchScan | undefined;
    try {
      scan = scanFetchResponse(raw, watched);
    } catch {
      scan = undefined; // A malformed frame: the decoders below say what is wrong with it.
    }
    let decoded: FetchResponse;
    let clean = scan !== undefined && !scan.corrupt;
    if (scan?.corrupt) decoded = await tolerant(raw);
    else {
      try {
        decoded = await original.decode(raw);
      } catch {
        clean = false;
        decoded = await tolerant(raw);
      }
    }
    const asked = (topic: string, partition: number) => {
      const offset = args.topics
        ?.find((t) => t.topic === topic)
        ?.partitions.find((q) => q.partition === partition)?.fetchOffset;
      return offset === undefined ? undefined : String(offset);
    };
    for (const { topicName, partitions } of decoded.responses) {
      if (!watched(topicName)) continue;
      for (const p of partitions) {
        if (p.errorCode !== CORRUPT_MESSAGE) continue;
        // KafkaJS would retry the whole fetch (every partition of this broker) and crash after its
        // retries, again and again: hold this partition instead, at the offset it asked for.
        clean = false;
        p.errorCode = 0;
        p.messages = [];
        report({
          topic: topicName,
          partition: p.partition,
          offset: asked(topicName, p.partition) ?? 'unknown',
          lastOffset: undefined,
          kind: 'broker',
          error: new Error(
            'the broker cannot read its log there (CORRUPT_MESSAGE: a corrupt batch on its disk; its log names the segment file)',
          ),
        });
      }
    }
    if (!clean || scan === undefined) return decoded;
    const quiet =
      scan.recordBytes === 0 && !(decoded.clientSideThrottleTime ?? 0) && !(decoded.throttleTime ?? 0);
    for (const { topic, partition, offset, end } of stalls.observe(decoded, quiet, asked, watched)) {
      report({
        topic,
        partition,
        offset,
        lastOffset: undefined,
        kind: 'broker',
        error: new Error(
          `the broker returns nothing from there, without an error, although the partition has records up to offset ${BigInt(end) - 1n} (${STALLED_FETCHES} fetches in a row; a batch length on its disk that runs past the end of its log?)`,
        ),
      });
    }
    return decoded;
  };
  const protocol = fetch.protocol;
  fetch.protocol = (v) => {
    const build = protocol(v);
    if (v.version !== 11 || typeof build !== 'function') return build;
    return (args) => {
      const built = build(args);
      // Only the fetches of a watching consumer are checked; others keep KafkaJS's behaviour.
      if (!args.topics?.some((t) => watched(t.topic))) return built;
      const original = built.response;
      return {
        ...built,
        response: { ...original, decode: (raw: Buffer) => decodeWatched(original, raw, args) },
      };
    };
  };
  fetch.__kafkakitTolerant = true;
  return undefined;
}

function report(batch: UndecodableBatch): void {
  for (const listener of watchers.get(batch.topic) ?? []) listener(batch);
}

function failed(
  topic: string,
  partition: number,
  bytes: Buffer,
  at: number,
  kind: UndecodableKind,
  error: unknown,
): [] {
  const offset = bytes.length >= at + 8 ? bytes.readBigInt64BE(at).toString() : 'unknown';
  const lastOffset =
    bytes.length >= at + LAST_OFFSET_DELTA_AT + 4 && offset !== 'unknown'
      ? (BigInt(offset) + BigInt(bytes.readInt32BE(at + LAST_OFFSET_DELTA_AT))).toString()
      : undefined;
  report({
    topic,
    partition,
    offset,
    lastOffset,
    kind,
    error: error instanceof Error ? error : new Error(String(error)),
  });
  return [];
}
