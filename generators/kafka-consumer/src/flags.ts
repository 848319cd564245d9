import { parseArgs } from 'node:util';
import { FIELD_ORDER, FIELDS, type FieldKey, type RawAnswers } from './schema.js';

/**
 * Command-line flags, derived from the schema's field table. Parsed with node's own util.parseArgs
 * (strict: unknown flags and missing values are errors) rather than plop's bypass, which breaks on
 * conditional prompts (plop#95) and waits on stdin in CI.
 */

export interface ParsedFlags {
  values: RawAnswers;
  yes: boolean;
  dryRun: boolean;
  help: boolean;
  /** Workspace root that --dir is relative to (default: the repo root). */
  cwd: string | undefined;
}

export class FlagError extends Error {
  override name = 'FlagError';
}

const BOOLEAN_FIELDS: FieldKey[] = ['fromBeginning', 'install'];

function optionSpec() {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    yes: { type: 'boolean', short: 'y' },
    defaults: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    cwd: { type: 'string' },
  };
  for (const key of FIELD_ORDER) {
    const { flag } = FIELDS[key];
    if (BOOLEAN_FIELDS.includes(key)) {
      options[flag] = { type: 'boolean' };
      options[`no-${flag}`] = { type: 'boolean' };
    } else {
      options[flag] = { type: 'string' };
    }
  }
  return options;
}

/** Parses argv (after the generator name). A bare `--` (as pnpm forwards it) is ignored. */
export function parseFlags(argv: string[], fields: readonly FieldKey[] = FIELD_ORDER): ParsedFlags {
  const spec = optionSpec();
  const args: string[] = [];
  const given = argv.filter((arg) => arg !== '--');
  for (let i = 0; i < given.length; i += 1) {
    const arg = given[i] as string;
    const next = given[i + 1];
    // `--max-retries -1` is a (bad) value, not a flag: hand it to the schema, which explains the rule.
    if (
      arg.startsWith('--') &&
      spec[arg.slice(2)]?.type === 'string' &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      args.push(`${arg}=${next}`);
      i += 1;
    } else {
      args.push(arg);
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: spec, strict: true, allowPositionals: false });
  } catch (error) {
    throw new FlagError(`${(error as Error).message}. Run with --help for the flags.`);
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const values: RawAnswers = {};
  for (const key of FIELD_ORDER) {
    const { flag } = FIELDS[key];
    const given = raw[flag];
    if (BOOLEAN_FIELDS.includes(key)) {
      const negated = raw[`no-${flag}`];
      if (given && negated) throw new FlagError(`--${flag} and --no-${flag} contradict each other`);
      if (given || negated) values[key] = Boolean(given);
    } else if (given !== undefined) {
      values[key] = given;
    }
    if (values[key] !== undefined && !fields.includes(key)) {
      throw new FlagError(`--${flag} does not apply to this generator`);
    }
  }
  return {
    values,
    yes: Boolean(raw.yes || raw.defaults),
    dryRun: Boolean(raw['dry-run']),
    help: Boolean(raw.help),
    cwd: typeof raw.cwd === 'string' ? raw.cwd : undefined,
  };
}

/** --help text, from the same field table. */
export function helpText(generator: string, fields: readonly FieldKey[], summary: string): string {
  const lines = [
    `pnpm plop ${generator} [-- flags]`,
    '',
    summary,
    '',
    'Flags (each answers one prompt; the values are validated exactly as the prompts validate them):',
  ];
  for (const key of fields) {
    const field = FIELDS[key];
    const name = BOOLEAN_FIELDS.includes(key)
      ? `--${field.flag} / --no-${field.flag}`
      : `--${field.flag} <value>`;
    const text =
      key === 'dir' && generator.endsWith(':add')
        ? 'Existing service folder, relative to the workspace root (required)'
        : `${field.message}${field.hint ? ` (${field.hint})` : ''}`;
    lines.push(`  ${name.padEnd(34)} ${text}`);
  }
  lines.push(
    `  ${'-y, --yes, --defaults'.padEnd(34)} take the defaults for everything not given; never prompt`,
    `  ${'--dry-run'.padEnd(34)} list every file that would be created or changed; write nothing`,
    `  ${'--cwd <path>'.padEnd(34)} workspace root that --dir is relative to (default: this repo)`,
    `  ${'-h, --help'.padEnd(34)} this text`,
  );
  for (const key of fields) {
    const { choices, message } = FIELDS[key];
    if (!choices) continue;
    lines.push('', `${message}:`);
    for (const [value, line] of Object.entries(choices)) lines.push(`  ${value.padEnd(12)} ${line}`);
  }
  lines.push(
    '',
    'Without a TTY, or with CI=true, nothing is prompted: missing optional values take their defaults',
    'and a missing required value (--name, --topics) fails at once.',
  );
  return lines.join('\n');
}
