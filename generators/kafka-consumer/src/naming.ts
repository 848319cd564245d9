/**
 * Pure helpers that turn validated answers into names, and escape any value for the language it
 * lands in. Templates only ever print user input through one of these (src/render.ts makes the
 * plain `<%= %>` tag throw, so a template cannot forget).
 */
import { DLQ_PER_TOPIC } from './choices.js';

/** "order-events" -> "OrderEvents". Input is kebab-case (validated), output a safe identifier part. */
export function pascalCase(kebab: string): string {
  return kebab
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** "order-events" -> "orderEvents". */
export function camelCase(kebab: string): string {
  const pascal = pascalCase(kebab);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** A valid TS identifier from anything: non-identifier characters dropped, leading digit prefixed. */
export function identifier(raw: string, suffix = ''): string {
  const base = pascalCase(raw.replace(/[^a-zA-Z0-9]+/g, '-')) || 'Service';
  const id = `${base}${suffix}`;
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

const TS_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** A single-quoted TypeScript string literal (Biome's quote style) that evaluates to exactly `value`. */
export function tsString(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
  const body = value.replace(/[\\'\n\r\t\u2028\u2029]|[\u0000-\u001f\u007f]/g, (ch) => {
    return TS_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `'${body}'`;
}

/** Text safe inside a `//` or `/** *\/` comment: no line breaks, no comment terminator. */
export function tsComment(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\*\//g, '*\\/');
}

/** A JSON string literal. */
export function jsonString(value: string): string {
  return JSON.stringify(value);
}

/** A double-quoted YAML scalar (YAML double-quoted strings accept JSON escapes). */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A Dockerfile exec-form (JSON array) element or LABEL value: a JSON string, with `$` escaped so
 * Docker's variable substitution cannot expand it.
 */
export function dockerString(value: string): string {
  return JSON.stringify(value).replace(/\$/g, '\\$');
}

/** A value for a dotenv file: bare when plain, else double-quoted with escapes. */
export function envValue(value: string): string {
  if (/^[a-zA-Z0-9._,:/@-]*$/.test(value)) return value;
  return JSON.stringify(value).replace(/\$/g, '\\$');
}

/** Inline Markdown code: a backtick fence longer than any run inside the value. */
export function mdCode(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value.replace(/[\r\n]+/g, ' ')}${pad}${fence}`;
}

/** Markdown text (inline, e.g. a table cell) with its inline syntax characters escaped. */
export function mdText(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>|~]/g, (ch) => `\\${ch}`);
}

/** A POSIX shell word (for commands printed in READMEs and summaries). */
export function shellWord(value: string): string {
  if (/^[a-zA-Z0-9._,:/@=-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Relative path from `dir` (relative to the workspace root) back to the root: "services/x" -> "../..". */
export function pathToRoot(dir: string): string {
  const depth = dir.split(/[\\/]+/).filter((part) => part !== '' && part !== '.').length;
  return depth === 0 ? '.' : Array.from({ length: depth }, () => '..').join('/');
}

/** The derived names every template uses. */
export interface Names {
  /** package.json name. */
  packageName: string;
  /** Type name of the example event, e.g. OrdersEvent. */
  eventType: string;
  /** Type guard name, e.g. isOrdersEvent. */
  eventGuard: string;
}

export function deriveNames(name: string): Names {
  const eventType = identifier(name, 'Event');
  return { packageName: name, eventType, eventGuard: `is${eventType}` };
}

/** Biome's (and the repo's) line width; emitted code must already be formatted. */
export const LINE_WIDTH = 110;

/**
 * An object property `key: 'value',` at `indent` spaces, laid out as Biome would: on one line when
 * it fits the line width, else with the string on its own line below the key.
 */
export function tsProperty(key: string, value: string, indent = 2): string {
  const pad = ' '.repeat(indent);
  const literal = tsString(value);
  const oneLine = `${pad}${key}: ${literal},`;
  return oneLine.length <= LINE_WIDTH ? oneLine : `${pad}${key}:\n${pad}  ${literal},`;
}

/**
 * A concrete dead-letter topic for an example command: the configured one, else the first source
 * topic's (the runtime's per-topic default, `<topic>.dlq`).
 */
export function exampleDeadLetterTopic(dlqTopic: string, topics: readonly string[]): string {
  return dlqTopic === DLQ_PER_TOPIC ? `${topics[0]}.dlq` : dlqTopic;
}

/** The retry-tier topic of the first source topic for a tier delay (`10s`): `<topic>.<group>.retry.10s`. */
export function exampleRetryTierTopic(topics: readonly string[], groupId: string, delay: string): string {
  return `${topics[0]}.${groupId}.retry.${delay}`;
}
