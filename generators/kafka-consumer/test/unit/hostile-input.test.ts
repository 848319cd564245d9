import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../../src/cli.js';
import { emptyWorkspace } from '../helpers/golden.js';

/**
 * Hostile generator input (issue 13, point 6): each case goes through the real CLI entry
 * (`runCli`, as `pnpm plop` calls it, without a terminal) and must fail with a clear message naming
 * the flag, and write nothing. The table in packages/fault-suite/README.md ("Hostile generator
 * input") lists the same cases.
 */
const workspace = emptyWorkspace(mkdtempSync(join(tmpdir(), 'kafkakit-hostile-')));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

type Case = [label: string, flag: string, value: string, message: RegExp];

export const HOSTILE_CASES: Case[] = [
  ['path traversal as name', 'name', '../../etc', /Invalid --name: the name must be kebab-case/],
  ['slash in name', 'name', 'a/b', /Invalid --name: the name must be kebab-case/],
  ['NUL byte in name', 'name', 'a\u0000b', /Invalid --name: the name must be kebab-case/],
  ['newline in name', 'name', 'orders\nrm', /Invalid --name: the name must be kebab-case/],
  ['code injection in name', 'name', "x';process.exit(1);//", /Invalid --name: the name must be kebab-case/],
  ['Cyrillic look-alike in name', 'name', '\u043erders', /Invalid --name: the name must be kebab-case/],
  ['reserved device name', 'name', 'con', /Invalid --name: the name "con" is reserved/],
  ['reserved tool name', 'name', 'node-modules', /Invalid --name: the name "node-modules" is reserved/],
  ['overlong name (51)', 'name', 'a'.repeat(51), /Invalid --name: the name must be at most 50 characters/],
  [
    'control character in topic',
    'topics',
    'a\u0007b',
    /Invalid --topics: topic "a\\u0007b" may only contain/,
  ],
  ['reserved topic ".."', 'topics', '..', /Invalid --topics: topic "\.\." is not allowed/],
  ['overlong topic (250)', 'topics', 't'.repeat(250), /Invalid --topics: .*is 250 characters; at most 249/],
  ['shell in topic', 'topics', '$(reboot)', /Invalid --topics: topic "\$\(reboot\)" may only contain/],
  ['space in group id', 'group-id', 'my group', /Invalid --group-id: the group id may only contain/],
  ['overlong group id (250)', 'group-id', 'g'.repeat(250), /Invalid --group-id: .*at most 249 characters/],
  [
    'IPv6 broker KafkaJS cannot use',
    'brokers',
    '[::1]:9092',
    /Invalid --brokers: .*IPv6 addresses are not supported by KafkaJS/,
  ],
  ['shell in broker host', 'brokers', '$(reboot):9092', /Invalid --brokers: .*invalid host/],
  ['broker port 0', 'brokers', 'kafka:0', /Invalid --brokers: .*port outside 1-65535/],
  [
    'DLQ equal to the source topic',
    'dlq-topic',
    'orders.placed',
    /Invalid --dlq-topic: .*cannot be one of the source topics/,
  ],
  ['newline in DLQ topic', 'dlq-topic', 'a\nb', /Invalid --dlq-topic: dead-letter topic .* may only contain/],
  [
    'retry tiers out of order',
    'retry-topics',
    '5m,10s',
    /Invalid --retry-topics: retry tier "10s" must be longer than the tier before it \(5m\)/,
  ],
  [
    'retry tier that is not a delay',
    'retry-topics',
    '$(reboot)',
    /Invalid --retry-topics: "\$\(reboot\)" is not a delay/,
  ],
  [
    'retry tier below 100 ms',
    'retry-topics',
    '5ms',
    /Invalid --retry-topics: retry tier "5ms" must be from 100ms to 168h/,
  ],
  ['absolute --dir', 'dir', '/etc/kafkakit', /Invalid --dir: the target folder must be relative/],
  [
    '--dir escaping with ..',
    'dir',
    'services/../../outside',
    /Invalid --dir: the target folder may not contain "\.\."/,
  ],
  ['home-relative --dir', 'dir', '~/services/x', /Invalid --dir: the target folder must be relative/],
  ['Windows drive --dir', 'dir', 'C:\\services\\x', /Invalid --dir: the target folder must be relative/],
  ['backslash --dir', 'dir', 'services\\x', /Invalid --dir: the target folder uses "\/" as separator/],
  [
    'tab in --dir',
    'dir',
    'services/a\tb',
    /Invalid --dir: the target folder may not contain control characters/,
  ],
  [
    'escape sequence in --dir',
    'dir',
    'services/\u001b[2Jx',
    /Invalid --dir: the target folder may not contain control characters/,
  ],
  [
    'reserved device --dir',
    'dir',
    'services/nul',
    /Invalid --dir: the target folder may not use the reserved name "nul"/,
  ],
  [
    'hidden --dir',
    'dir',
    'services/.git',
    /Invalid --dir: the target folder may not use the reserved name "\.git"/,
  ],
  [
    'overlong --dir (201)',
    'dir',
    `services/${'d'.repeat(192)}`,
    /Invalid --dir: the target folder must be at most 200 characters/,
  ],
  [
    '--dir outside the package globs',
    'dir',
    'elsewhere/orders',
    /Invalid --dir: "elsewhere\/orders" is not a package folder of the workspace/,
  ],
  ['negative retries', 'max-retries', '-1', /Invalid --max-retries: max retries must be a whole number >= 0/],
  ['zero concurrency', 'concurrency', '0', /Invalid --concurrency: concurrency must be a whole number >= 1/],
  [
    'unknown ordering',
    'ordering',
    'random',
    /Invalid --ordering: the ordering must be one of partition, key, unordered/,
  ],
];

function quietIo(): CliIo & { errors: string[] } {
  const errors: string[] = [];
  return { out: () => undefined, err: (text) => errors.push(text), interactive: false, errors };
}

describe('hostile generator input', () => {
  it('has at least 20 cases', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(
    HOSTILE_CASES,
  )('refuses %s: clear message, nothing written', async (_label, flag, value, message) => {
    const argv = ['kafka-consumer', '--name', 'orders', '--topics', 'orders.placed', '--no-install'];
    const at = argv.indexOf(`--${flag}`);
    if (at >= 0) argv[at + 1] = value;
    else argv.push(`--${flag}=${value}`);
    const io = quietIo();
    const code = await runCli([...argv, '--cwd', workspace], workspace, io);
    expect(code).not.toBe(0);
    expect(io.errors.join('\n')).toMatch(message);
    expect(io.errors.join('\n')).toMatch(/Nothing was written/);
    expect(readdirSync(workspace)).toEqual(['pnpm-workspace.yaml']);
  });
});
