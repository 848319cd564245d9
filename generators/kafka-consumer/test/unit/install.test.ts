import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installSteps, runSteps, StepFailedError, testSummary } from '../../src/actions/install.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('install steps', () => {
  it('installs without a frozen lockfile (CI=true would freeze it), then typechecks and tests', () => {
    const steps = installSteps('/repo', 'services/orders', 'full', 'orders');
    expect(steps.map((step) => [step.title, step.command, ...step.args])).toEqual([
      ['pnpm install', 'pnpm', 'install', '--no-frozen-lockfile', '--prefer-offline'],
      ['build', 'pnpm', '--filter', 'orders...', 'run', 'build'],
      ['typecheck', 'pnpm', 'run', 'typecheck'],
      [
        'tests (real broker)',
        'pnpm',
        'run',
        'test',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${steps[3]?.report}`,
      ],
    ]);
    expect(steps[3]?.report).toMatch(/kafkakit-vitest-.*report\.json$/);
    expect(steps[0]?.cwd).toBe('/repo');
    expect(steps[1]?.cwd).toBe('/repo');
    expect(steps[2]?.cwd).toBe('/repo/services/orders');
  });

  it("reads the test counts from vitest's JSON report, and removes it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const file = join(dir, 'report.json');
    const counts = { numTotalTests: 8, numPassedTests: 6, numFailedTests: 1, numPendingTests: 1 };
    writeFileSync(file, JSON.stringify({ ...counts, testResults: [] }));
    expect(testSummary(file)).toBe('1 failed | 6 passed | 1 skipped (8)');
    expect(existsSync(dir)).toBe(false);
    expect(testSummary(file)).toBeUndefined();
  });

  it('a failing step prints its output and throws', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const failing = {
      title: 'typecheck',
      command: process.execPath,
      args: ['-e', "console.log('src/main.ts(1,1): error TS2304'); process.exit(2)"],
      cwd: process.cwd(),
    };
    await expect(runSteps([failing])).rejects.toBeInstanceOf(StepFailedError);
    expect(written.join('')).toMatch(/typecheck failed after/);
    expect(written.join('')).toMatch(/error TS2304/);
  });
});
