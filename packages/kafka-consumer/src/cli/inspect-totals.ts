import { type DeadLetterFacts, deadLetterFacts, type TopicRecord } from './dead-letter-record.js';

/** Count and failure-time span of one group of dead letters. */
export interface Total {
  count: number;
  firstFailure: string;
  lastFailure: string;
}

export interface InspectReport {
  topic: string;
  records: number;
  bySourceTopic: Array<Total & { sourceTopic: string }>;
  byError: Array<Total & { errorName: string; errorCode: string | null }>;
  byPartition: Array<Total & { partition: number; firstOffset: string; lastOffset: string }>;
  firstFailure: string | null;
  lastFailure: string | null;
}

interface Acc {
  count: number;
  first: number;
  last: number;
  firstOffset?: string;
  lastOffset?: string;
}

const add = (acc: Acc | undefined, at: number, offset: string): Acc =>
  acc === undefined
    ? { count: 1, first: at, last: at, firstOffset: offset, lastOffset: offset }
    : {
        count: acc.count + 1,
        first: Math.min(acc.first, at),
        last: Math.max(acc.last, at),
        firstOffset: acc.firstOffset,
        lastOffset: offset,
      };

const total = (acc: Acc): Total => ({
  count: acc.count,
  firstFailure: new Date(acc.first).toISOString(),
  lastFailure: new Date(acc.last).toISOString(),
});

const UNKNOWN = '(none)';

/** Totals of dead letters by source topic, by error name and code, and by DLQ partition. Pure. */
export class InspectTotals {
  readonly #sources = new Map<string, Acc>();
  readonly #errors = new Map<string, Acc>();
  readonly #partitions = new Map<number, Acc>();
  #all: Acc | undefined;

  constructor(private readonly topic: string) {}

  add(record: TopicRecord, facts: DeadLetterFacts = deadLetterFacts(record)): void {
    const at = facts.failedAt.getTime();
    const source = facts.sourceTopic ?? UNKNOWN;
    const error = JSON.stringify([facts.errorName ?? UNKNOWN, facts.errorCode ?? null]);
    this.#sources.set(source, add(this.#sources.get(source), at, record.offset));
    this.#errors.set(error, add(this.#errors.get(error), at, record.offset));
    this.#partitions.set(record.partition, add(this.#partitions.get(record.partition), at, record.offset));
    this.#all = add(this.#all, at, record.offset);
  }

  report(): InspectReport {
    const byCount = <T extends { count: number }>(rows: T[]) => rows.sort((a, b) => b.count - a.count);
    return {
      topic: this.topic,
      records: this.#all?.count ?? 0,
      bySourceTopic: byCount(
        [...this.#sources].map(([sourceTopic, acc]) => ({ sourceTopic, ...total(acc) })),
      ),
      byError: byCount(
        [...this.#errors].map(([key, acc]) => {
          const [errorName, errorCode] = JSON.parse(key) as [string, string | null];
          return { errorName, errorCode, ...total(acc) };
        }),
      ),
      byPartition: [...this.#partitions]
        .sort(([a], [b]) => a - b)
        .map(([partition, acc]) => ({
          partition,
          firstOffset: acc.firstOffset ?? '',
          lastOffset: acc.lastOffset ?? '',
          ...total(acc),
        })),
      firstFailure: this.#all === undefined ? null : new Date(this.#all.first).toISOString(),
      lastFailure: this.#all === undefined ? null : new Date(this.#all.last).toISOString(),
    };
  }
}
