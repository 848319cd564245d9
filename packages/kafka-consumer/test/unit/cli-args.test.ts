import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/args.js';
import { progressGroup, type Selection } from '../../src/cli/redrive-selection.js';
import { runCli } from '../../src/cli/run.js';
import { CLI_EXIT } from '../../src/cli/usage-error.js';
import { textSink } from './support/text-sink.js';

/** Runs the CLI with no broker: every case here must be refused before any connection. */
async function refused(...args: string[]) {
  const out = textSink();
  const err = textSink();
  const code = await runCli(args, {
    env: { KAFKA_BROKERS: '127.0.0.1:1' },
    out: out.stream,
    err: err.stream,
    signal: new AbortController().signal,
  });
  return { code, stderr: err.text(), stdout: out.text() };
}

const HOSTILE: Array<[string, string[], string]> = [
  [
    'unknown flag',
    ['dlq', 'redrive', 'x.dlq', '--force'],
    'kafkakit: unknown flag --force for "kafkakit dlq redrive" (see kafkakit dlq redrive --help)',
  ],
  [
    'unknown flag on inspect',
    ['dlq', 'inspect', 'x.dlq', '--limit', '3'],
    'kafkakit: unknown flag --limit for "kafkakit dlq inspect" (see kafkakit dlq inspect --help)',
  ],
  [
    'unknown command',
    ['dlq', 'purge', 'x.dlq'],
    'kafkakit: unknown command "dlq purge": use inspect, show or redrive (see kafkakit --help)',
  ],
  [
    'unknown group',
    ['topics'],
    'kafkakit: unknown command "topics": kafkakit has "dlq" (see kafkakit --help)',
  ],
  [
    'no command',
    [],
    'kafkakit: missing command: kafkakit dlq inspect|show|redrive <dlq-topic> (see kafkakit --help)',
  ],
  [
    'no subcommand',
    ['dlq'],
    'kafkakit: missing command: kafkakit dlq inspect|show|redrive <dlq-topic> (see kafkakit --help)',
  ],
  [
    'missing topic',
    ['dlq', 'inspect'],
    'kafkakit: the dead-letter topic (kafkakit dlq inspect <dlq-topic>) is missing',
  ],
  ['two topics', ['dlq', 'show', 'a', 'b'], 'kafkakit: one dead-letter topic, got 2: a b'],
  [
    'invalid topic name',
    ['dlq', 'show', '../etc'],
    'kafkakit: topic "../etc" may only contain letters, digits, ".", "_" and "-"',
  ],
  [
    'zero rate',
    ['dlq', 'redrive', 'x.dlq', '--rate', '0'],
    'kafkakit: --rate must be a number of messages a second above 0, got "0"',
  ],
  [
    'negative rate',
    ['dlq', 'redrive', 'x.dlq', '--rate', '-5'],
    'kafkakit: --rate must be a number of messages a second above 0, got "-5"',
  ],
  [
    'rate not a number',
    ['dlq', 'redrive', 'x.dlq', '--rate=fast'],
    'kafkakit: --rate must be a number of messages a second above 0, got "fast"',
  ],
  [
    'bad date',
    ['dlq', 'redrive', 'x.dlq', '--since', 'yesterday'],
    'kafkakit: --since must be an ISO-8601 date or time, e.g. 2026-12-04 or 2026-12-04T18:30:00Z, got "yesterday"',
  ],
  [
    'impossible date',
    ['dlq', 'redrive', 'x.dlq', '--until', '2026-13-40'],
    'kafkakit: --until must be an ISO-8601 date or time, e.g. 2026-12-04 or 2026-12-04T18:30:00Z, got "2026-13-40"',
  ],
  [
    'since after until',
    ['dlq', 'redrive', 'x.dlq', '--since', '2026-12-05', '--until', '2026-12-01'],
    'kafkakit: --since must be before --until',
  ],
  [
    'zero limit',
    ['dlq', 'redrive', 'x.dlq', '--limit', '0'],
    'kafkakit: --limit must be a whole number >= 1, got "0"',
  ],
  [
    'negative source partition',
    ['dlq', 'redrive', 'x.dlq', '--source-partition', '-1'],
    'kafkakit: --source-partition must be a whole number >= 0, got "-1"',
  ],
  [
    'zero max redrives',
    ['dlq', 'redrive', 'x.dlq', '--max-redrives', '0'],
    'kafkakit: --max-redrives must be a whole number >= 1, got "0"',
  ],
  [
    'flag without value',
    ['dlq', 'redrive', 'x.dlq', '--to'],
    "kafkakit: Option '--to <value>' argument missing (see kafkakit dlq redrive --help)",
  ],
  [
    'bad --offset',
    ['dlq', 'show', 'x.dlq', '--offset', 'p1'],
    'kafkakit: --offset must be <offset> or <partition>:<offset>, got "p1"',
  ],
  [
    'shell in --to',
    ['dlq', 'redrive', 'x.dlq', '--to', '$(reboot)'],
    'kafkakit: topic "$(reboot)" may only contain letters, digits, ".", "_" and "-"',
  ],
];

describe('kafkakit bad usage: one line on stderr, exit 2, before any connection', () => {
  it.each(HOSTILE)('%s', async (_, args, line) => {
    const run = await refused(...args);
    expect(run).toEqual({ code: CLI_EXIT.usage, stderr: `${line}\n`, stdout: '' });
  });

  it('bad connection settings are bad usage too, naming the variable', async () => {
    const err = textSink();
    const code = await runCli(['dlq', 'inspect', 'x.dlq'], {
      env: { KAFKA_BROKERS: 'localhost', KAFKA_SASL_MECHANISM: 'kerberos' },
      out: textSink().stream,
      err: err.stream,
      signal: new AbortController().signal,
    });
    const stderr = err.text();
    expect(code).toBe(CLI_EXIT.usage);
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stderr).toContain(
      'KAFKA_SASL_MECHANISM: must be plain, scram-sha-256 or scram-sha-512, got "kerberos"',
    );
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await refused('dlq', 'redrive', '--help');
    expect(run.code).toBe(CLI_EXIT.done);
    expect(run.stdout).toContain('Usage: kafkakit dlq redrive <dlq-topic>');
  });
});

describe('redrive selection', () => {
  const none: Selection = {
    to: undefined,
    errors: [],
    since: undefined,
    until: undefined,
    sourcePartitions: [],
  };
  it('keeps progress per selection; --limit, --rate and --dry-run are not part of it', () => {
    expect(progressGroup('o.dlq', none)).toBe('kafkakit-redrive.o.dlq');
    const a = parseCommand(['dlq', 'redrive', 'o.dlq', '--error', 'A', '--error', 'B', '--limit', '5']);
    const b = parseCommand([
      'dlq',
      'redrive',
      'o.dlq',
      '--error',
      'B',
      '--error',
      'A',
      '--rate',
      '9',
      '--dry-run',
    ]);
    if (a.kind !== 'redrive' || b.kind !== 'redrive') throw new Error('not redrive');
    expect(progressGroup('o.dlq', a.selection)).toBe(progressGroup('o.dlq', b.selection));
    expect(progressGroup('o.dlq', a.selection)).toMatch(/^kafkakit-redrive\.o\.dlq\.[0-9a-f]{12}$/);
    expect(progressGroup('o.dlq', { ...a.selection, errors: ['A'] })).not.toBe(
      progressGroup('o.dlq', a.selection),
    );
  });
});
