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
      ['tests (real broker)', 'pnpm', 'run', 'test'],
    ]);
    expect(steps[0]?.cwd).toBe('/repo');
    expect(steps[1]?.cwd).toBe('/repo');
    expect(steps[2]?.cwd).toBe('/repo/services/orders');
  });

  it('reads the test count from vitest output', () => {
    expect(
      testSummary(
        '\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[32m5 passed\u001b[39m\u001b[22m\u001b[90m (5)\u001b[39m',
      ),
    ).toBe('5 passed (5)');
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
