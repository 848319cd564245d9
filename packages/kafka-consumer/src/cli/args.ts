import { type ParseArgsConfig, parseArgs } from 'node:util';
import { topicProblem } from '../naming.js';
import type { Selection } from './redrive-selection.js';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;
const common = { brokers: { type: 'string' }, help: { type: 'boolean', short: 'h' } } satisfies Options;
const SPECS = {
  inspect: { ...common, json: { type: 'boolean' } },
  show: {
    ...common,
    limit: { type: 'string' },
    offset: { type: 'string', multiple: true },
    full: { type: 'boolean' },
  },
  redrive: {
    ...common,
    to: { type: 'string' },
    error: { type: 'string', multiple: true },
    since: { type: 'string' },
    until: { type: 'string' },
    'source-partition': { type: 'string', multiple: true },
    limit: { type: 'string' },
    rate: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'max-redrives': { type: 'string' },
    group: { type: 'string' },
  },
} satisfies Record<string, Options>;
export type Subcommand = keyof typeof SPECS;

export interface Common {
  topic: string;
  brokers: string | undefined;
}
export type Command =
  | { kind: 'help'; text: 'main' | Subcommand }
  | (Common & { kind: 'inspect'; json: boolean })
  | (Common & {
      kind: 'show';
      limit: number;
      offsets: Array<{ partition?: number; offset: bigint }>;
      full: boolean;
    })
  | (Common & {
      kind: 'redrive';
      selection: Selection;
      limit: number | undefined;
      rate: number | undefined;
      dryRun: boolean;
      maxRedrives: number;
      group: string | undefined;
    });

const whole = (flag: string, raw: string, min: number): number => {
  if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw)))
    throw new UsageError(`${flag} must be a whole number >= ${min}, got ${JSON.stringify(raw)}`);
  return Number(raw);
};

const ISO =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const date = (flag: string, raw: string | undefined): Date | undefined => {
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (!ISO.test(raw) || Number.isNaN(ms))
    throw new UsageError(
      `${flag} must be an ISO-8601 date or time, e.g. 2026-12-04 or 2026-12-04T18:30:00Z, got ${JSON.stringify(raw)}`,
    );
  return new Date(ms);
};

const rate = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(value > 0))
    throw new UsageError(`--rate must be a number of messages a second above 0, got ${JSON.stringify(raw)}`);
  return value;
};

const topic = (raw: string | undefined, what: string): string => {
  if (raw === undefined) throw new UsageError(`${what} is missing`);
  const problem = topicProblem(raw);
  if (problem !== undefined) throw new UsageError(problem);
  return raw;
};

const offsetSpec = (raw: string) => {
  const match = /^(?:(\d+):)?(\d+)$/.exec(raw);
  if (match === null)
    throw new UsageError(`--offset must be <offset> or <partition>:<offset>, got ${JSON.stringify(raw)}`);
  return {
    ...(match[1] === undefined ? {} : { partition: Number(match[1]) }),
    offset: BigInt(match[2] as string),
  };
};

/** `--rate -5` would read "-5" as a flag: keep a negative-looking value with its flag. */
function joinNegativeValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function parse(sub: Subcommand, args: readonly string[]) {
  try {
    return parseArgs({
      args: joinNegativeValues(args),
      options: SPECS[sub],
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(-[^' ]+)/.exec(message)?.[1];
    if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`unknown flag ${flag} for "kafkakit dlq ${sub}" (see kafkakit dlq ${sub} --help)`);
    throw new UsageError(`${message.split('.')[0]} (see kafkakit dlq ${sub} --help)`);
  }
}

/** `kafkakit <args>` -> a command; bad usage throws UsageError (exit 2). */
export function parseCommand(argv: readonly string[]): Command {
  const [group, sub, ...rest] = argv;
  const missing = 'missing command: kafkakit dlq inspect|show|redrive <dlq-topic> (see kafkakit --help)';
  if (group === undefined) throw new UsageError(missing);
  if (group === '--help' || group === '-h' || group === 'help') return { kind: 'help', text: 'main' };
  if (group !== 'dlq')
    throw new UsageError(
      `unknown command ${JSON.stringify(group)}: kafkakit has "dlq" (see kafkakit --help)`,
    );
  if (sub === undefined) throw new UsageError(missing);
  if (sub === '--help' || sub === '-h') return { kind: 'help', text: 'main' };
  if (!Object.hasOwn(SPECS, sub))
    throw new UsageError(`unknown command "dlq ${sub}": use inspect, show or redrive (see kafkakit --help)`);
  const name = sub as Subcommand;
  const { values, positionals } = parse(name, rest);
  if (values.help) return { kind: 'help', text: name };
  if (positionals.length > 1)
    throw new UsageError(`one dead-letter topic, got ${positionals.length}: ${positionals.join(' ')}`);
  const base = {
    topic: topic(positionals[0], `the dead-letter topic (kafkakit dlq ${name} <dlq-topic>)`),
    brokers: values.brokers,
  };
  if (name === 'inspect')
    return { ...base, kind: 'inspect', json: (values as { json?: boolean }).json === true };
  if (name === 'show') {
    const v = values as { limit?: string; offset?: string[]; full?: boolean };
    return {
      ...base,
      kind: 'show',
      limit: v.limit === undefined ? 20 : whole('--limit', v.limit, 1),
      offsets: (v.offset ?? []).map(offsetSpec),
      full: v.full === true,
    };
  }
  const v = values as Record<string, string | string[] | boolean | undefined>;
  const selection: Selection = {
    to: v.to === undefined ? undefined : topic(v.to as string, '--to'),
    errors: (v.error as string[] | undefined) ?? [],
    since: date('--since', v.since as string | undefined),
    until: date('--until', v.until as string | undefined),
    sourcePartitions: ((v['source-partition'] as string[] | undefined) ?? []).map((p) =>
      whole('--source-partition', p, 0),
    ),
  };
  if (selection.since !== undefined && selection.until !== undefined && selection.since >= selection.until)
    throw new UsageError('--since must be before --until');
  return {
    ...base,
    kind: 'redrive',
    selection,
    limit: v.limit === undefined ? undefined : whole('--limit', v.limit as string, 1),
    rate: rate(v.rate as string | undefined),
    dryRun: v['dry-run'] === true,
    maxRedrives:
      v['max-redrives'] === undefined ? 3 : whole('--max-redrives', v['max-redrives'] as string, 1),
    group: v.group as string | undefined,
  };
}
