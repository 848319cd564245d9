/** A pino-compatible logger: `(obj, msg)` call shape. pino, bunyan-style adapters or this package's JSON logger fit. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: 100 };

/** A logger that drops everything. */
export const noopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const MAX_CAUSE_DEPTH = 8;

/**
 * pino's `err` serialisation (pino-std-serializers): `type` (constructor name), `message`, `stack`,
 * the error's own enumerable fields (`code`, `retriable`, ...; an own `type` as `errorType`), `cause` serialised the same way
 * (a chain of at most MAX_CAUSE_DEPTH levels, cycles cut) and an AggregateError's `errors`.
 */
export function serialiseError(error: Error, seen: Set<unknown> = new Set(), depth = 0): object {
  seen.add(error);
  const out: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack,
  };
  if (error.name !== out.type) out.name = error.name;
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause' || key === 'errors' || value === undefined || typeof value === 'function') continue;
    // pino never lets own fields replace type/message/stack; KafkaJS's own `type` (e.g.
    // UNKNOWN_MEMBER_ID) is too useful to drop, so it is kept as `errorType`.
    const target = key === 'type' ? 'errorType' : key;
    if (key !== 'type' && out[target] !== undefined) continue;
    out[target] = value instanceof Error ? nested(value, seen, depth) : value;
  }
  const { cause } = error as { cause?: unknown };
  if (cause !== undefined) out.cause = cause instanceof Error ? nested(cause, seen, depth) : cause;
  if (error instanceof AggregateError) out.errors = error.errors.map((e) => serialise(e, seen, depth + 1));
  return out;
}

function nested(error: Error, seen: Set<unknown>, depth: number): unknown {
  if (seen.has(error)) return '[Circular]';
  if (depth + 1 >= MAX_CAUSE_DEPTH) return { type: error.constructor?.name, message: error.message };
  return serialiseError(error, seen, depth + 1);
}

function serialise(value: unknown, seen: Set<unknown> = new Set(), depth = 0): unknown {
  return value instanceof Error ? nested(value, seen, depth - 1) : value;
}

const bigints = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/** JSON.stringify that never throws (BigInt values, cycles in a logged object). */
function stringify(record: object): string {
  try {
    return JSON.stringify(record, bigints);
  } catch {
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      try {
        safe[key] = JSON.parse(JSON.stringify(value, bigints) ?? 'null');
      } catch {
        safe[key] = '[Unserializable]';
      }
    }
    return JSON.stringify(safe);
  }
}

/**
 * Minimal JSON-lines logger (one object per line, pino field names `level`, `time`, `msg`).
 * The runtime's default is `createJsonLogger({ level: 'info' })` writing to stderr.
 */
export function createJsonLogger(
  options: { level?: LogLevel; write?: (line: string) => void; bindings?: object } = {},
): Logger {
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const bindings = options.bindings ?? {};
  const log = (level: Exclude<LogLevel, 'silent'>) => (obj: object, msg?: string) => {
    if (RANK[level] < min) return;
    const record: Record<string, unknown> = { level: RANK[level], time: Date.now(), ...bindings };
    for (const [key, value] of Object.entries(obj)) record[key] = serialise(value);
    if (msg !== undefined) record.msg = msg;
    write(`${stringify(record)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
