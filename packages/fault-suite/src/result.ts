import type { Metrics } from './checker.js';
import type { CommitStrategy, GroupType, Ordering } from './types.js';

/** A scenario-specific pass criterion and what was observed. */
export interface Criterion {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ScenarioResult {
  id: number;
  title: string;
  strategy: CommitStrategy;
  ordering: Ordering;
  /** @default 'consumer' */
  groupType?: GroupType;
  metrics: Metrics;
  criteria: Criterion[];
  durationMs: number;
  /** A scenario's own measurement, shown in the table (e.g. time until processing resumed). */
  notes?: string;
  /** Set when the scenario could not run to the end (harness or broker failure). */
  error?: string;
}

export function criterion(name: string, ok: boolean, detail: string): Criterion {
  return { name, ok, detail };
}

/** The invariants every scenario holds; duplicates are judged per scenario (its own criteria). */
export function baseCriteria(m: Metrics): Criterion[] {
  return [
    criterion('0 lost', m.lost.length === 0, `lost ${m.lost.length}${lostSample(m.lost)}`),
    criterion('0 order violations (partition ordering)', m.orderViolations === 0, `${m.orderViolations}`),
    criterion('0 overlapping calls of one key (key ordering)', m.keyOverlaps === 0, `${m.keyOverlaps}`),
    criterion('0 key order violations (key ordering)', m.keyOrderViolations === 0, `${m.keyOrderViolations}`),
    criterion('0 committed-offset regressions', m.commitRegressions === 0, `${m.commitRegressions}`),
    criterion('0 calls after revoke', m.callsAfterRevoke === 0, `${m.callsAfterRevoke}`),
  ];
}

/** At-least-once without waste: no message handed out again after a commit covered its offset. */
export function noCommittedDuplicates(m: Metrics): Criterion {
  return criterion(
    'duplicates only of uncommitted messages (redelivery window)',
    m.duplicatesOutsideWindow === 0,
    `${m.duplicates} duplicates, ${m.duplicatesOutsideWindow} of committed messages`,
  );
}

/** Share groups: a duplicate needs a reason (a member died, a lock expired); none without one. */
export function shareCriteria(m: Metrics): Criterion[] {
  return [
    criterion(
      '0 unexplained duplicates (share group)',
      m.duplicatesUnexplained === 0,
      `${m.duplicates} duplicates: ${m.duplicatesMemberDied} after a member died, ${m.duplicatesLockExpired} after a lock expired, ${m.duplicatesUnexplained} unexplained`,
    ),
  ];
}

function lostSample(lost: readonly string[]): string {
  return lost.length === 0 ? '' : ` (e.g. ${lost.slice(0, 5).join(', ')})`;
}

export function passed(result: ScenarioResult): boolean {
  return result.error === undefined && result.criteria.every((c) => c.ok);
}
