import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {} from '@kafkakit/kafka-testkit/vitest-setup';
import { execa } from 'execa';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, runPlop } from '../helpers/golden.js';
import { ENTER, Terminal } from '../helpers/terminal.js';

/**
 * The whole promise, for real: `pnpm plop kafka-consumer` with flags writes a service into the
 * workspace, installs it, typechecks it and runs its own tests against this run's broker
 * (KAFKA_BROKERS, so the service's test kit reuses it). Afterwards the folder is removed and the
 * workspace (lockfile, node_modules) is put back as it was.
 */
const brokers = inject('kafkaBrokers');
const stamp = Date.now().toString(36);
const serviceName = `e2e-orders-${stamp}`;
const addName = `e2e-billing-${stamp}`;
const interactiveName = `e2e-itx-${stamp}`;
const lockfile = join(REPO_ROOT, 'pnpm-lock.yaml');
const lockBefore = readFileSync(lockfile, 'utf8');
const names = [serviceName, addName, interactiveName];
const created = names.map((name) => join(REPO_ROOT, 'services', name));
const mentions = (lock: string) => names.some((name) => lock.includes(name));

afterAll(async () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
  // Re-resolve without the removed packages (keeps anyone else's lockfile changes), offline.
  await execa('pnpm', ['install', '--offline', '--no-frozen-lockfile'], { cwd: REPO_ROOT, reject: false });
  const lockAfter = readFileSync(lockfile, 'utf8');
  if (mentions(lockAfter)) {
    writeFileSync(lockfile, lockBefore);
    await execa('pnpm', ['install', '--offline', '--frozen-lockfile'], { cwd: REPO_ROOT, reject: false });
  }
  const lockFinal = readFileSync(lockfile, 'utf8');
  expect(mentions(lockFinal)).toBe(false);
}, 180_000);

describe('pnpm plop kafka-consumer, end to end', () => {
  it('generates, installs, typechecks and passes its own real-broker tests', async () => {
    const started = Date.now();
    const run = await runPlop(
      [
        'kafka-consumer',
        '--',
        '--name',
        serviceName,
        '--topics',
        'e2e.orders.placed',
        '--commit',
        'per-batch',
        '--yes',
      ],
      { KAFKA_BROKERS: brokers.join(','), PATH: process.env.PATH },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`[e2e] command to green tests: ${seconds}s (broker already warm)\n`);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/14 file\(s\) written/);
    expect(run.stdout).toMatch(/Tests: 5 passed \(5\)/);
    expect(run.stderr).toMatch(/pnpm install/);
    expect(run.stderr).toMatch(/typecheck/);
    expect(run.stderr).toMatch(/tests \(real broker\)/);
    expect(
      existsSync(join(REPO_ROOT, 'services', serviceName, 'node_modules/@kafkakit/kafka-consumer')),
    ).toBe(true);

    const lint = await execa('pnpm', ['exec', 'biome', 'check', `services/${serviceName}`], {
      cwd: REPO_ROOT,
      reject: false,
      all: true,
    });
    expect(lint.exitCode, String(lint.all)).toBe(0);
  });

  it('adds a consumer to an existing service that then installs and typechecks', async () => {
    cpSync(join(REPO_ROOT, 'fixtures/existing-service'), join(REPO_ROOT, 'services', addName), {
      recursive: true,
    });
    const run = await runPlop(
      ['kafka-consumer:add', '--', '--dir', `services/${addName}`, '--topics', 'billing.invoices'],
      { PATH: process.env.PATH },
    );
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/changed services\/.*\/src\/server\.ts/);
    // The install step ran the service's own typecheck script on the wired entry point.
    expect(run.stderr).toMatch(/typecheck \(/);
    expect(run.stdout).toMatch(/installed and typechecked/);
  });

  it('answered interactively in a real terminal (`pnpm plop kafka-consumer`), installs and goes green', async () => {
    const tty = new Terminal('pnpm plop kafka-consumer', { KAFKA_BROKERS: brokers.join(',') });
    try {
      await tty.expect(/Service name \(kebab-case\)/);
      tty.type(`${interactiveName}${ENTER}`);
      await tty.expect(/Topics to consume/);
      tty.type(`e2e.interactive${ENTER}`);
      for (const question of [
        /Consumer group id/,
        /Brokers/,
        /Commit strategy/,
        /Retries before/,
        /Dead-letter topic/,
      ]) {
        await tty.expect(question);
        tty.type(ENTER);
      }
      await tty.expect(/Start from the earliest offset/);
      tty.type(ENTER);
      await tty.expect(/Install it and verify it now/);
      tty.type(ENTER);
      await tty.expect(/Tests: 5 passed \(5\)/, 240_000);
      expect(await tty.exited).toBe(0);
    } finally {
      tty.kill();
    }
  });
});
