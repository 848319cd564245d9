import { createHash } from 'node:crypto';
import { isRetryTierTopic } from '../naming.js';
import type { DeadLetterFacts } from './dead-letter-record.js';

/** Which dead letters a redrive takes, and where they go. Its progress is kept per selection. */
export interface Selection {
  /** Target for every record; default: each record's x-dlq-source-topic. */
  to: string | undefined;
  /** Error names (x-dlq-error-name); empty = any. */
  errors: string[];
  /** Failure time (x-dlq-failed-at) at or after. */
  since: Date | undefined;
  /** Failure time before. */
  until: Date | undefined;
  /** Source partitions (x-dlq-source-partition); empty = any. */
  sourcePartitions: number[];
}

export function selects(selection: Selection, facts: DeadLetterFacts): boolean {
  if (selection.errors.length > 0 && !selection.errors.includes(facts.errorName ?? '')) return false;
  if (selection.since !== undefined && facts.failedAt < selection.since) return false;
  if (selection.until !== undefined && facts.failedAt >= selection.until) return false;
  if (
    selection.sourcePartitions.length > 0 &&
    (facts.sourcePartition === undefined || !selection.sourcePartitions.includes(facts.sourcePartition))
  )
    return false;
  return true;
}

const hasFilter = (s: Selection) =>
  s.to !== undefined ||
  s.errors.length > 0 ||
  s.since !== undefined ||
  s.until !== undefined ||
  s.sourcePartitions.length > 0;

/**
 * The consumer group that keeps a selection's progress on the DLQ: `kafkakit-redrive.<dlq>`, plus
 * a hash of the filters when there are any. The same command run again finds its own progress
 * (and writes nothing again); another selection has its own, so filtering never hides records
 * from a later, different redrive. `--limit`, `--rate` and `--dry-run` are not part of it.
 */
export function progressGroup(dlqTopic: string, selection: Selection): string {
  const base = `kafkakit-redrive.${dlqTopic}`;
  if (!hasFilter(selection)) return base;
  const canonical = JSON.stringify({
    to: selection.to ?? null,
    errors: [...selection.errors].sort(),
    since: selection.since?.toISOString() ?? null,
    until: selection.until?.toISOString() ?? null,
    sourcePartitions: [...selection.sourcePartitions].sort((a, b) => a - b),
  });
  return `${base}.${createHash('sha256').update(canonical).digest('hex').slice(0, 12)}`;
}

/** Why writing to `target` is refused, or undefined when it is allowed. */
export function refusedTarget(target: string, dlqTopic: string): string | undefined {
  if (target === dlqTopic) return `"${target}" is the dead-letter topic being redriven`;
  if (isRetryTierTopic(target)) return `"${target}" is a retry-tier topic`;
  return undefined;
}
