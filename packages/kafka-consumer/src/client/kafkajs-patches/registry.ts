import { createRequire } from 'node:module';

/** The KafkaJS release every patch in this folder was written against (and tested on). */
export const KAFKAJS_VERSION = '2.2.4';

/** One patch of KafkaJS: what it changes, and whether it is in place in this process. */
export interface PatchStatus {
  readonly name: string;
  readonly installed: boolean;
  /** Why it is not installed (a version or shape mismatch), in words for a log line. */
  readonly reason?: string;
}

const statuses = new Map<string, PatchStatus>();

/** The installed KafkaJS version, read from its package.json; undefined when it cannot be read. */
export function installedKafkaJsVersion(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url)('kafkajs/package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

export function recordPatch(status: PatchStatus): void {
  statuses.set(status.name, status);
}

/** Every patch tried in this process, installed or not. */
export function patchStatuses(): PatchStatus[] {
  return [...statuses.values()];
}

/** One line per patch that could not be installed: shown in `health().warnings`. */
export function patchWarnings(): string[] {
  const out: string[] = [];
  for (const s of statuses.values())
    if (!s.installed) out.push(`KafkaJS patch "${s.name}" not installed: ${s.reason}`);
  return out;
}

/** A member a patch replaces is missing or not a function: say which. */
export function missingMember(owner: unknown, names: readonly string[], where: string): string | undefined {
  for (const name of names) {
    const value = (owner as Record<string, unknown> | undefined)?.[name];
    if (typeof value !== 'function')
      return `${where}.${name} is ${value === undefined ? 'missing' : `a ${typeof value}`}`;
  }
  return undefined;
}

/**
 * State a patch keeps for the whole process. A patch is installed once per process (on KafkaJS's
 * shared prototypes), but this module may be loaded more than once (two copies of the package, a
 * test runner's module registry per file): the patched code and every copy must see one state.
 */
export function processShared<T>(name: string, create: () => T): T {
  const key = Symbol.for(`@kafkakit/kafka-consumer:${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  store[key] ??= create();
  return store[key] as T;
}
