import { renderTable } from './table.js';

/** What a redrive did; the one place its counts live. */
export interface RedriveCounts {
  scanned: number;
  notSelected: number;
  written: number;
  /** Found in the target by the resume check (written by a run that was killed before committing). */
  alreadyWritten: number;
  skippedMaxRedrives: number;
  /** Target is the DLQ itself or a retry tier. */
  skippedRefused: number;
  /** No x-dlq-source-topic header and no --to, or the target topic does not exist. */
  skippedNoTarget: number;
}

export const emptyCounts = (): RedriveCounts => ({
  scanned: 0,
  notSelected: 0,
  written: 0,
  alreadyWritten: 0,
  skippedMaxRedrives: 0,
  skippedRefused: 0,
  skippedNoTarget: 0,
});

export const skipped = (c: RedriveCounts) => c.skippedMaxRedrives + c.skippedRefused + c.skippedNoTarget;

export interface SummaryFacts {
  dlqTopic: string;
  group: string;
  dryRun: boolean;
  seconds: number;
  interrupted: boolean;
  limitReached: boolean;
}

export function renderSummary(counts: RedriveCounts, facts: SummaryFacts, maxRedrives: number): string {
  const rate = facts.seconds > 0 ? (counts.written / facts.seconds).toFixed(1) : '-';
  const table = renderTable(
    [facts.dryRun ? 'redrive (dry run)' : 'redrive', 'records'],
    [
      ['scanned in the DLQ', counts.scanned],
      ['not selected by the filters', counts.notSelected],
      [facts.dryRun ? 'would be written' : 'written', counts.written],
      ['already written (resumed run)', counts.alreadyWritten],
      [`skipped: redriven ${maxRedrives} times already`, counts.skippedMaxRedrives],
      ['skipped: target refused (DLQ or retry tier)', counts.skippedRefused],
      ['skipped: no source topic or target missing', counts.skippedNoTarget],
    ],
  );
  const state = facts.interrupted
    ? 'interrupted: run the same command again to resume'
    : facts.limitReached
      ? 'stopped at --limit: run it again for the next ones'
      : 'done';
  return (
    `${table}\n` +
    `${facts.dlqTopic}: progress group ${facts.group}; ${
      facts.dryRun
        ? `${counts.written} to write (dry run: nothing written or committed)`
        : `${counts.written} written in ${facts.seconds.toFixed(2)} s, first write to last acknowledgement (${rate} msg/s)`
    }; ${state}\n`
  );
}
