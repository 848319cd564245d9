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

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }
  return value;
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
    write(`${JSON.stringify(record)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
