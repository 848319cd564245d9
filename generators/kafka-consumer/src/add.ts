import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, posix, relative, resolve, sep } from 'node:path';
import type TypeScript from 'typescript';

/** Loaded on first use: the TypeScript parser is only needed to wire an entry point. */
const loadTypeScript = (): typeof TypeScript =>
  createRequire(import.meta.url)('typescript') as typeof TypeScript;

/**
 * The `kafka-consumer:add` plan for an existing TypeScript service: which files to create, which to
 * edit and how, computed without writing. Pure apart from reading the service's files.
 */

export const RUNTIME_PACKAGE = '@kafkakit/kafka-consumer';
/** Where the consumer module goes inside the service. */
export const MODULE_DIR = 'src/kafka';
/** The symbol the entry point imports; its presence means "already wired". */
export const START_SYMBOL = 'startKafkaConsumer';

export interface Edit {
  /** Relative to the service folder. */
  path: string;
  before: string;
  after: string;
}

export interface ServiceInfo {
  packageName: string;
  isEsm: boolean;
  entry: string | undefined;
}

export class AddError extends Error {
  override name = 'AddError';
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new AddError(`${file} is not readable JSON: ${(error as Error).message}`);
  }
}

/** Checks the folder is a TypeScript service and finds its entry point (or not). */
export function inspectService(serviceDir: string): ServiceInfo {
  const pkgFile = join(serviceDir, 'package.json');
  if (!existsSync(serviceDir)) throw new AddError(`${serviceDir} does not exist`);
  if (!existsSync(pkgFile)) throw new AddError(`${serviceDir} has no package.json; is it a service folder?`);
  const pkg = readJson(pkgFile);
  const deps = { ...(pkg.dependencies as object), ...(pkg.devDependencies as object) };
  if (!existsSync(join(serviceDir, 'tsconfig.json')) && !('typescript' in deps)) {
    throw new AddError(
      `${serviceDir} is not a TypeScript service (no tsconfig.json, no typescript dependency)`,
    );
  }
  return {
    packageName: typeof pkg.name === 'string' ? pkg.name : '',
    isEsm: pkg.type === 'module',
    entry: findEntry(serviceDir, pkg),
  };
}

/** The entry point from package.json (main, start/dev scripts) or the usual file names. */
export function findEntry(serviceDir: string, pkg: Record<string, unknown>): string | undefined {
  const candidates: string[] = [];
  const scripts = (pkg.scripts ?? {}) as Record<string, string>;
  for (const script of [scripts.start, scripts.dev]) {
    const match = script ? /(?:^|\s)((?:\.\/)?[\w./-]+\.[cm]?[tj]s)(?:\s|$)/.exec(script) : null;
    if (match?.[1]) candidates.push(match[1]);
  }
  if (typeof pkg.main === 'string') candidates.push(pkg.main);
  candidates.push('src/index.ts', 'src/main.ts', 'src/server.ts', 'index.ts');
  for (const candidate of candidates) {
    const asSource = candidate
      .replace(/^\.\//, '')
      .replace(/^dist\//, 'src/')
      .replace(/\.([cm]?)js$/, '.$1ts');
    if (/\.[cm]?ts$/.test(asSource) && existsSync(join(serviceDir, asSource))) return asSource;
  }
  return undefined;
}

/** package.json with the runtime added to dependencies (formatting kept: indent and final newline). */
export function addDependency(source: string): string {
  const pkg = JSON.parse(source) as Record<string, unknown>;
  const deps = (pkg.dependencies ?? {}) as Record<string, string>;
  if (RUNTIME_PACKAGE in deps) return source;
  const sorted = Object.fromEntries(
    Object.entries({ ...deps, [RUNTIME_PACKAGE]: 'workspace:*' }).sort(([a], [b]) => a.localeCompare(b)),
  );
  const indent = /^[ \t]+/m.exec(source)?.[0] ?? '  ';
  const next = pkg.dependencies ? { ...pkg, dependencies: sorted } : insertAfterKeys(pkg, sorted);
  return `${JSON.stringify(next, null, indent)}${source.endsWith('\n') ? '\n' : ''}`;
}

function insertAfterKeys(pkg: Record<string, unknown>, dependencies: Record<string, string>) {
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const [key, value] of Object.entries(pkg)) {
    if (!placed && (key === 'devDependencies' || key === 'peerDependencies')) {
      out.dependencies = dependencies;
      placed = true;
    }
    out[key] = value;
  }
  if (!placed) out.dependencies = dependencies;
  return out;
}

/** The lines that start the consumer from an entry point at `entryPath` (relative to the service folder). */
export function wiringLines(entryPath: string): {
  importLine: string;
  startLines: string[];
  stopLine: string;
} {
  let specifier = posix.relative(posix.dirname(entryPath), `${MODULE_DIR}/consumer.js`);
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return {
    importLine: `import { ${START_SYMBOL} } from '${specifier}';`,
    startLines: [
      '',
      '// Kafka consumer (added by `pnpm plop kafka-consumer:add`): starts in the background (the service',
      "// starts even when Kafka is down; see kafkaConsumer.health()); stop it in the service's shutdown.",
      `const kafkaConsumer = ${START_SYMBOL}();`,
    ],
    stopLine: 'await kafkaConsumer.stop(); // drains in-flight messages, commits, leaves the group',
  };
}

export type WireResult =
  | { kind: 'unchanged'; reason: string }
  | { kind: 'edit'; after: string; stop: 'wired' | { manual: string } }
  | { kind: 'manual'; reason: string };

type Ts = typeof TypeScript;

/** The host's own SIGTERM/SIGINT handler: `process.on|once('SIGTERM', async () => { ... })`. */
function findShutdownHandler(ts: Ts, file: TypeScript.SourceFile) {
  let found: { body: TypeScript.Block; isAsync: boolean; line: number } | undefined;
  const visit = (node: TypeScript.Node) => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.expression.getText(file) === 'process' &&
      ['on', 'once', 'addListener'].includes(node.expression.name.text)
    ) {
      const [event, listener] = node.arguments;
      if (
        event &&
        ts.isStringLiteralLike(event) &&
        ['SIGTERM', 'SIGINT'].includes(event.text) &&
        listener &&
        (ts.isArrowFunction(listener) || ts.isFunctionExpression(listener)) &&
        ts.isBlock(listener.body)
      ) {
        const isAsync = (ts.getCombinedModifierFlags(listener) & ts.ModifierFlags.Async) !== 0;
        const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        found = { body: listener.body, isAsync, line };
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * Wires the consumer into an entry point when that is safe: an ES module parsed cleanly by
 * TypeScript. The import goes after the last import and the (non-blocking) start at the end. The
 * stop goes first into the host's own async SIGTERM/SIGINT handler when there is one; otherwise the
 * exact line to add is returned. It never adds signal handlers or process.exit of its own.
 */
export function wireEntry(source: string, entryPath: string, isEsm: boolean): WireResult {
  if (source.includes(START_SYMBOL))
    return { kind: 'unchanged', reason: `${entryPath} already starts the consumer` };
  if (!isEsm && !entryPath.endsWith('.mts')) {
    return {
      kind: 'manual',
      reason: 'the package is not an ES module ("type": "module"), so it is not edited automatically',
    };
  }
  const ts = loadTypeScript();
  const file = ts.createSourceFile(entryPath, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? [];
  if (diagnostics.length > 0) return { kind: 'manual', reason: `${entryPath} does not parse cleanly` };
  const { importLine, startLines, stopLine } = wiringLines(entryPath);
  const handler = findShutdownHandler(ts, file);
  let text = source;
  let stop: 'wired' | { manual: string };
  if (handler?.isAsync) {
    const at = handler.body.getStart(file) + 1;
    const indent = `${/^[ \t]*/.exec(source.slice(source.lastIndexOf('\n', at - 1) + 1))?.[0] ?? ''}  `;
    text = `${source.slice(0, at)}\n${indent}${stopLine}${source.slice(at)}`;
    stop = 'wired';
  } else if (handler) {
    stop = {
      manual: `${entryPath}:${handler.line}: make your ${'SIGTERM'} handler async and start it with:\n  ${stopLine}`,
    };
  } else {
    stop = {
      manual: `${entryPath} has no SIGTERM/SIGINT handler of its own; in your shutdown (before the process exits), add:\n  ${stopLine}`,
    };
  }
  const updated = ts.createSourceFile(entryPath, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const last = updated.statements.filter(ts.isImportDeclaration).at(-1);
  let head: string;
  let rest: string;
  if (last) {
    head = `${text.slice(0, last.getEnd())}\n${importLine}`;
    rest = text.slice(last.getEnd());
  } else {
    const shebang = /^#!.*\n/.exec(text)?.[0] ?? '';
    head = `${shebang}${importLine}\n`;
    rest = text.slice(shebang.length);
  }
  const body = `${head}${rest}`.replace(/\s*$/, '');
  return { kind: 'edit', after: `${body}\n${startLines.join('\n')}\n`, stop };
}

/** Path of `file` relative to the workspace root, with forward slashes. */
export function rootRelative(root: string, file: string): string {
  return relative(root, resolve(file)).split(sep).join('/');
}
