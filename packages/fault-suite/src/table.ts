import { passed, type ScenarioResult } from './result.js';

const COLUMNS = [
  '#',
  'scenario',
  'commit',
  'ordering',
  'acked',
  'done',
  'dlq',
  'lost',
  'dups',
  'dups>win',
  're-inflight',
  'order',
  'key-ovl',
  'key-order',
  'revoked',
  'regress',
  'stale-read',
  'time',
  'result',
  'notes',
] as const;

/** Share-group runs: no strategy, ordering or commits; duplicates by reason instead. */
const SHARE_COLUMNS = [
  '#',
  'scenario',
  'group',
  'acked',
  'done',
  'dlq',
  'lost',
  'dups',
  'dups: member died',
  'dups: lock expired',
  'dups: unexplained',
  're-inflight',
  'revoked',
  'time',
  'result',
  'notes',
] as const;

function shareRow(r: ScenarioResult): string[] {
  const m = r.metrics;
  const n = (value: number) => (r.error === undefined ? String(value) : '-');
  return [
    String(r.id),
    r.title,
    'share',
    n(m.acked),
    n(m.completed),
    n(m.deadLettered),
    n(m.lost.length),
    n(m.duplicates),
    n(m.duplicatesMemberDied),
    n(m.duplicatesLockExpired),
    n(m.duplicatesUnexplained),
    n(m.redeliveredInFlight),
    n(m.callsAfterRevoke),
    `${(r.durationMs / 1000).toFixed(1)}s`,
    passed(r) ? 'PASS' : 'FAIL',
    r.notes ?? '',
  ];
}

function row(r: ScenarioResult): string[] {
  const m = r.metrics;
  // A run that broke off has no complete evidence: its numbers are not shown as if they were checked.
  const n = (value: number) => (r.error === undefined ? String(value) : '-');
  return [
    String(r.id),
    r.title,
    r.strategy,
    r.ordering,
    n(m.acked),
    n(m.completed),
    n(m.deadLettered),
    n(m.lost.length),
    n(m.duplicates),
    n(m.duplicatesOutsideWindow),
    n(m.redeliveredInFlight),
    n(m.orderViolations),
    n(m.keyOverlaps),
    n(m.keyOrderViolations),
    n(m.callsAfterRevoke),
    n(m.commitRegressions),
    n(m.staleReads),
    `${(r.durationMs / 1000).toFixed(1)}s`,
    passed(r) ? 'PASS' : 'FAIL',
    r.notes ?? '',
  ];
}

/** A fixed-width text table, one row per scenario run, then the failed criteria spelled out. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const share = results.length > 0 && results.every((r) => r.groupType === 'share');
  const columns: readonly string[] = share ? SHARE_COLUMNS : COLUMNS;
  const rows = [Array.from(columns), ...results.map(share ? shareRow : row)];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const out = [line(rows[0] ?? []), rule, ...rows.slice(1).map(line)];
  const failures = results.filter((r) => !passed(r));
  if (failures.length > 0) {
    out.push('', 'Failed criteria:');
    for (const r of failures) {
      const run = r.groupType === 'share' ? 'share' : `${r.strategy}/${r.ordering}`;
      if (r.error !== undefined) out.push(`  ${r.id} ${r.title} [${run}]: error: ${r.error}`);
      for (const c of r.criteria.filter((x) => !x.ok))
        out.push(`  ${r.id} ${r.title} [${run}]: ${c.name}: ${c.detail}`);
    }
  }
  const ok = results.length - failures.length;
  out.push('', `${ok}/${results.length} scenario runs passed`);
  return out.join('\n');
}
