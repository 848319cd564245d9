import type { Producer } from 'kafkajs';
import type { MessageHeaders } from '../types.js';
import { deadLetterFacts, isDeadLetter, type TopicRecord } from './dead-letter-record.js';
import type { OutgoingHeaders } from './kafka.js';
import type { Pacer } from './pacer.js';
import type { Progress } from './progress.js';
import type { RangeBatch } from './read-range.js';
import { redriveHeaders } from './redrive-headers.js';
import {
  encodeIntent,
  INTENT_MAX_BYTES,
  type InDoubt,
  type Intent,
  noteEntryBytes,
  type Written,
  writtenKey,
} from './redrive-intent.js';
import { refusedTarget, type Selection, selects } from './redrive-selection.js';
import type { RedriveCounts } from './redrive-summary.js';
import type { Targets } from './redrive-targets.js';
import { UsageError } from './usage-error.js';

interface WriteDecision {
  kind: 'write';
  topic: string;
  partition: number;
  headers: MessageHeaders;
  error: string;
}
type Decision = WriteDecision | { kind: 'skip'; counter: keyof RedriveCounts };

export interface SessionDeps {
  dlqTopic: string;
  selection: Selection;
  maxRedrives: number;
  limit: number | undefined;
  /** undefined in a dry run: nothing is written or committed. */
  producer: Producer | undefined;
  targets: Targets;
  written: Written;
  /** In-doubt chunks found at start, by DLQ partition: their note is kept until passed. */
  inDoubt: Map<number, InDoubt>;
  pacer: Pacer;
  progress: Progress;
  counts: RedriveCounts;
  signal: AbortSignal;
  /** Dry-run lines. */
  out: NodeJS.WritableStream;
  chunkSize: number;
  /** Writes per produce request (each group is acknowledged before the next goes). */
  groupSize: number;
}

const minEnds = (a: Intent['ends'], b: Intent['ends']): Intent['ends'] => {
  const merged = new Map<string, [string, number, string]>();
  for (const e of [...a, ...b]) {
    const key = `${e[0]}\u0000${e[1]}`;
    const known = merged.get(key);
    if (known === undefined || BigInt(e[2]) < BigInt(known[2])) merged.set(key, e);
  }
  return [...merged.values()];
};

/** Redrives the records of the batches it is handed, chunk by chunk (see redrive-intent.ts). */
export class RedriveSession {
  #seenFirst = false;
  limitReached = false;
  /** performance.now() when the first write started and the last one was acknowledged. */
  #firstWrite: number | undefined;
  #lastWrite: number | undefined;

  constructor(private readonly d: SessionDeps) {}

  /** From the first write's start to the last acknowledgement (0 without writes). */
  writeSeconds(): number {
    return this.#firstWrite === undefined || this.#lastWrite === undefined
      ? 0
      : (this.#lastWrite - this.#firstWrite) / 1000;
  }

  get stopped(): boolean {
    return this.limitReached || this.d.signal.aborted;
  }

  #decide(record: TopicRecord): Decision | undefined {
    const { d } = this;
    if (!isDeadLetter(record)) {
      if (!this.#seenFirst)
        throw new UsageError(
          `"${d.dlqTopic}" is not a kafkakit dead-letter topic: record ${record.partition}@${record.offset} carries no x-dlq-* headers`,
        );
      return { kind: 'skip', counter: 'skippedNoTarget' };
    }
    this.#seenFirst = true;
    const facts = deadLetterFacts(record);
    if (!selects(d.selection, facts)) return { kind: 'skip', counter: 'notSelected' };
    if (d.written.has(writtenKey(record.partition, record.offset)))
      return { kind: 'skip', counter: 'alreadyWritten' };
    if (facts.redriveCount >= d.maxRedrives) return { kind: 'skip', counter: 'skippedMaxRedrives' };
    const topic = d.selection.to ?? facts.sourceTopic;
    if (topic === undefined) return { kind: 'skip', counter: 'skippedNoTarget' };
    if (refusedTarget(topic, d.dlqTopic) !== undefined) return { kind: 'skip', counter: 'skippedRefused' };
    const partition = d.targets.partition(
      topic,
      facts.sourcePartition,
      record.key,
      d.selection.to === undefined,
    );
    if (partition === undefined) return { kind: 'skip', counter: 'skippedNoTarget' };
    const headers = redriveHeaders(d.dlqTopic, record, facts.redriveCount, new Date());
    return { kind: 'write', topic, partition, headers, error: facts.errorName ?? '?' };
  }

  /** Handles one batch; false once the run should stop (limit, SIGINT). */
  async handle(batch: RangeBatch): Promise<boolean> {
    const { d } = this;
    await d.targets.prepare(
      d.selection.to !== undefined
        ? [d.selection.to]
        : batch.records
            .map((r) => deadLetterFacts(r).sourceTopic)
            .filter((t): t is string => t !== undefined),
    );
    for (let i = 0; i < batch.records.length && !this.stopped; ) {
      const chunk: Array<[TopicRecord, Decision | undefined]> = [];
      const targets = new Map<string, [string, number]>();
      let noteBytes = 0;
      while (i < batch.records.length && chunk.length < d.chunkSize && noteBytes < INTENT_MAX_BYTES) {
        const record = batch.records[i++] as TopicRecord;
        const decision = this.#decide(record);
        const key = decision?.kind === 'write' ? `${decision.topic}\u0000${decision.partition}` : undefined;
        if (decision?.kind === 'write' && key !== undefined && !targets.has(key)) {
          targets.set(key, [decision.topic, decision.partition]);
          noteBytes += noteEntryBytes(decision.topic);
        }
        chunk.push([record, decision]);
      }
      await this.#chunk(batch, chunk, [...targets.values()]);
      await batch.heartbeat();
    }
    return !this.stopped;
  }

  async #chunk(
    batch: RangeBatch,
    chunk: Array<[TopicRecord, Decision | undefined]>,
    targets: Array<[string, number]>,
  ): Promise<void> {
    const { d } = this;
    const first = chunk[0]?.[0];
    if (first === undefined) return;
    const carried = d.inDoubt.get(batch.partition);
    if (d.producer !== undefined && targets.length > 0) {
      const last = BigInt((chunk.at(-1) as [TopicRecord, unknown])[0].offset);
      const ends = await d.targets.ends(targets);
      const intent: Intent =
        carried === undefined
          ? { last, ends }
          : {
              last: last > carried.intent.last ? last : carried.intent.last,
              ends: minEnds(ends, carried.intent.ends),
            };
      await batch.commit(BigInt(first.offset), encodeIntent(intent));
    }
    let next = BigInt(first.offset);
    for (let i = 0; i < chunk.length && !this.stopped; ) {
      // A group of up to `groupSize` writes (and the skipped records among them) goes in one
      // produce request: acknowledged together, in order per partition.
      const group: Array<[TopicRecord, Decision | undefined]> = [];
      const writes: Array<[TopicRecord, WriteDecision]> = [];
      for (; i < chunk.length && writes.length < d.groupSize; i++) {
        const item = chunk[i] as [TopicRecord, Decision | undefined];
        if (item[1]?.kind === 'write') {
          if (d.limit !== undefined && d.counts.written + writes.length >= d.limit) {
            this.limitReached = true;
            break;
          }
          writes.push([item[0], item[1]]);
        }
        group.push(item);
      }
      if (writes.length > 0) {
        await d.pacer.next(writes.length, d.signal);
        if (d.signal.aborted) break;
        this.#firstWrite ??= performance.now();
        await this.#write(writes);
        this.#lastWrite = performance.now();
      }
      for (const [record, decision] of group) {
        if (decision?.kind === 'write') d.counts.written++;
        else if (decision !== undefined) d.counts[decision.counter]++;
        d.counts.scanned++;
        next = BigInt(record.offset) + 1n;
      }
      d.progress.update(d.counts);
    }
    if (d.producer === undefined || next === BigInt(first.offset)) return;
    const keep = carried !== undefined && next <= carried.intent.last;
    if (!keep) d.inDoubt.delete(batch.partition);
    await batch.commit(next, keep ? encodeIntent(carried.intent) : null);
  }

  async #write(writes: Array<[TopicRecord, WriteDecision]>): Promise<void> {
    const { d } = this;
    if (d.producer === undefined) {
      for (const [record, w] of writes)
        d.out.write(
          `would write ${d.dlqTopic}[${record.partition}]@${record.offset} -> ${w.topic}[${w.partition}] key=${record.key?.toString() ?? '(null)'} error=${w.error} x-redrive-count=${String(w.headers['x-redrive-count'])}\n`,
        );
      return;
    }
    const byTopic = new Map<
      string,
      Array<{ key: Buffer | null; value: Buffer | null; partition: number; headers: OutgoingHeaders }>
    >();
    for (const [record, w] of writes) {
      const messages = byTopic.get(w.topic) ?? [];
      messages.push({
        key: record.key,
        value: record.value,
        partition: w.partition,
        headers: w.headers as OutgoingHeaders,
      });
      byTopic.set(w.topic, messages);
    }
    await d.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }
}
