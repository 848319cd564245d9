import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/checker.js';
import { openLedger, parseLedger, readLedger } from '../../src/ledger.js';
import { baseCriteria, criterion, type ScenarioResult } from '../../src/result.js';
import { formatTable } from '../../src/table.js';

describe('ledger', () => {
  it('appends one JSON line per entry and reads them back', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.jsonl');
    const ledger = openLedger(path);
    ledger.append({ ev: 'ready', pid: 1, ts: 1 });
    ledger.append({ ev: 'signal', pid: 1, ts: 2, sig: 'SIGTERM' });
    ledger.close();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3);
    expect(readLedger(path).map((e) => e.ev)).toEqual(['ready', 'signal']);
  });

  it('refuses a line that is not JSON instead of skipping evidence', () => {
    expect(() => parseLedger('{"ev":"ready","pid":1,"ts":1}\n{"ev":')).toThrow(/line 2/);
  });

  it('reads a missing ledger as empty', () => {
    expect(readLedger(join(tmpdir(), 'no-such-ledger.jsonl'))).toEqual([]);
  });
});

describe('formatTable', () => {
  const result = (ok: boolean): ScenarioResult => {
    const metrics = check({ acked: [], ledger: [] });
    return {
      id: 4,
      title: 'SIGKILL x5',
      strategy: 'per-batch',
      ordering: 'partition',
      metrics,
      criteria: [...baseCriteria(metrics), criterion('exit code', ok, ok ? '0' : '1')],
      durationMs: 1234,
    };
  };

  it('prints one aligned row per run and the pass count', () => {
    const table = formatTable([result(true)]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^\| # \| scenario/);
    expect(lines[2]).toMatch(/\| 4 \| SIGKILL x5 \| per-batch \| partition \|.*\| 1\.2s \| PASS +\|.*\|$/);
    expect(new Set(lines.slice(0, 3).map((l) => l.length)).size).toBe(1);
    expect(table).toMatch(/1\/1 scenario runs passed/);
  });

  it('shows no numbers for a run that broke off', () => {
    const table = formatTable([{ ...result(true), error: 'broker gone' }]);
    expect(table.split('\n')[2]).toMatch(/\| per-batch \| partition \| - +\| - +\|/);
    expect(table).toMatch(/error: broker gone/);
  });

  it('spells out failed criteria', () => {
    const table = formatTable([result(false)]);
    expect(table).toMatch(/FAIL/);
    expect(table).toMatch(/4 SIGKILL x5 \[per-batch\/partition\]: exit code: 1/);
  });
});
