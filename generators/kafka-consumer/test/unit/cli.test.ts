import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyWorkspace, runPlop } from '../helpers/golden.js';

/**
 * The real command (`pnpm plop`'s script, no TTY, CI=true) with bad input: a non-zero exit, a message
 * naming the flag and the rule, and nothing written into the target workspace.
 */
const workspace = emptyWorkspace(mkdtempSync(join(tmpdir(), 'kafkakit-cli-')));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const base = ['--name', 'orders', '--topics', 'orders.placed', '--no-install', '--cwd', workspace];
const withFlag = (flag: string, value: string) => {
  const args = [...base];
  const at = args.indexOf(flag);
  if (at >= 0) args[at + 1] = value;
  else args.push(flag, value);
  return args;
};

const badInputs: [string, string[], RegExp][] = [
  ['an upper-case name', withFlag('--name', 'Orders'), /Invalid --name: the name must be kebab-case/],
  [
    'a name with a quote',
    withFlag('--name', "x';process.exit(1);//"),
    /Invalid --name: the name must be kebab-case/,
  ],
  ['a path as name', withFlag('--name', '../../etc'), /Invalid --name/],
  [
    'an injection topic',
    withFlag('--topics', "a';process.exit(1);//"),
    /Invalid --topics: topic .* may only contain/,
  ],
  [
    'a topic with a backtick',
    withFlag('--topics', 'a`rm -rf /`'),
    /Invalid --topics: topic .* may only contain/,
  ],
  ['the topic ".."', withFlag('--topics', '..'), /Invalid --topics: topic ".." is not allowed/],
  ['a 250-character topic', withFlag('--topics', 'a'.repeat(250)), /Invalid --topics: .*at most 249/],
  [
    'a broker without port',
    withFlag('--brokers', 'localhost'),
    /Invalid --brokers: broker "localhost" must be host:port/,
  ],
  [
    'a broker port out of range',
    withFlag('--brokers', 'kafka:70000'),
    /Invalid --brokers: .*port outside 1-65535/,
  ],
  ['a broker with shell', withFlag('--brokers', '$(reboot):9092'), /Invalid --brokers: .*invalid host/],
  [
    'negative retries',
    withFlag('--max-retries', '-1'),
    /Invalid --max-retries: max retries must be a whole number/,
  ],
  [
    'fractional retries',
    withFlag('--max-retries', '2.5'),
    /Invalid --max-retries: max retries must be a whole number/,
  ],
  [
    'an unknown commit strategy',
    withFlag('--commit', 'sometimes'),
    /Invalid --commit: the commit strategy must be one of/,
  ],
  [
    'the DLQ equal to the topic',
    withFlag('--dlq-topic', 'orders.placed'),
    /Invalid --dlq-topic: .*cannot be one of the source topics/,
  ],
  [
    'an injection DLQ',
    withFlag('--dlq-topic', "x'});process.exit(1)"),
    /Invalid --dlq-topic: dead-letter topic/,
  ],
  ['a group id with a newline', withFlag('--group-id', 'g\nx'), /Invalid --group-id/],
  [
    'a folder outside the workspace',
    withFlag('--dir', '../outside'),
    /Invalid --dir: the target folder may not contain ".."/,
  ],
  ['a missing --name', ['--topics', 'x', '--cwd', workspace], /Missing --name .*Not prompting/],
  ['a missing --topics with --yes', ['--name', 'x', '--yes', '--cwd', workspace], /Missing --topics/],
  ['an unknown flag', [...base, '--colour', 'blue'], /Unknown option '--colour'/],
  ['a flag without its value', [...base, '--commit'], /--commit/],
];

describe('pnpm plop kafka-consumer with bad flags', () => {
  it.concurrent.each(badInputs)(
    'rejects %s: non-zero exit, clear message, nothing written',
    { timeout: 90_000 },
    async (_label, args) => {
      const expected = badInputs.find(([label]) => label === _label)?.[2] as RegExp;
      const run = await runPlop(['kafka-consumer', '--', ...args]);
      expect(run.exitCode).not.toBe(0);
      expect(run.stderr).toMatch(expected);
      expect(readdirSync(workspace)).toEqual(['pnpm-workspace.yaml']);
    },
  );

  it('never waits for input without a TTY: a missing value fails at once', { timeout: 60_000 }, async () => {
    const started = Date.now();
    const run = await runPlop(['kafka-consumer'], { CI: '' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/Missing --name/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('--dry-run lists every file and writes nothing', { timeout: 60_000 }, async () => {
    const run = await runPlop(['kafka-consumer', '--', ...base, '--dry-run']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Dry run: nothing was written\. 20 file\(s\) would be created/);
    for (const file of [
      'package.json',
      'src/main.ts',
      'src/handler.ts',
      'src/config.ts',
      'Dockerfile',
      '.env.example',
    ]) {
      expect(run.stdout).toContain(`would create services/orders/${file}`);
    }
    expect(readdirSync(workspace)).toEqual(['pnpm-workspace.yaml']);
  });

  it('refuses to write into an existing, non-empty folder', { timeout: 60_000 }, async () => {
    const other = emptyWorkspace(mkdtempSync(join(tmpdir(), 'kafkakit-cli-exists-')));
    try {
      mkdirSync(join(other, 'services/orders'), { recursive: true });
      writeFileSync(join(other, 'services/orders/keep.txt'), 'mine\n');
      const run = await runPlop([
        'kafka-consumer',
        '--',
        '--name',
        'orders',
        '--topics',
        'a',
        '--no-install',
        '--cwd',
        other,
      ]);
      expect(run.exitCode).not.toBe(0);
      expect(run.stderr).toMatch(/services\/orders already exists and is not empty/);
      expect(readdirSync(join(other, 'services/orders'))).toEqual(['keep.txt']);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('--help lists every flag and the commit trade-offs', { timeout: 60_000 }, async () => {
    const run = await runPlop(['kafka-consumer', '--', '--help']);
    expect(run.exitCode).toBe(0);
    for (const flag of [
      '--name',
      '--topics',
      '--group-id',
      '--brokers',
      '--commit',
      '--max-retries',
      '--dlq-topic',
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toMatch(/--from-beginning \/ --no-from-beginning/);
    expect(run.stdout).toMatch(/--install \/ --no-install/);
    expect(run.stdout).toMatch(/per-batch\s+commit once per fetched batch/);
  });
});
