import { clientCertificateIssues } from './env-pem.js';
import { DEFAULT_PREFIX, ENV_VARIABLES, type EnvVariable } from './env-table.js';
import { ConfigError } from './errors.js';
import { type ConsumerOptions, type Namer, validateOptionsWithoutHandler } from './options.js';

export { ENV_VARIABLES, type EnvVariable };

type Env = Record<string, string | undefined>;
/** What the environment can set: everything but `handler`, `codec` and `logger` (add those in code). */
export type EnvOptions = Omit<ConsumerOptions, 'handler' | 'codec' | 'logger'>;

export interface EnvLoadOptions {
  /** Prefix of every variable name. @default 'KAFKA_' */
  prefix?: string;
}

/**
 * Sets `value` at a dotted path. A parent that is `false` (KAFKA_DLQ_TOPIC=none, KAFKA_SSL=false)
 * wins over its children; a parent that is `true` becomes an object.
 */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const current = node[part];
    if (current === false) return;
    if (typeof current !== 'object' || current === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1] as string;
  const existing = node[last];
  if (typeof existing === 'object' && existing !== null && typeof value === 'object' && value !== null)
    node[last] = { ...existing, ...value };
  else if (value === false || typeof existing !== 'object' || existing === null) node[last] = value;
}

/** Option path -> variable name, for every row and every parent path (its first row). */
function namer(prefix: string): Namer {
  const byOption = new Map<string, string>();
  for (const v of ENV_VARIABLES) {
    const parts = v.option.split('.');
    for (let i = parts.length; i > 0; i--) {
      const key = parts.slice(0, i).join('.');
      if (!byOption.has(key)) byOption.set(key, prefix + v.suffix);
    }
  }
  return (path) => {
    const parts = path.filter((p) => typeof p === 'string') as string[];
    for (let i = parts.length; i > 0; i--) {
      const hit = byOption.get(parts.slice(0, i).join('.'));
      if (hit !== undefined) return hit;
    }
    return path.map(String).join('.') || '(environment)';
  };
}

/**
 * Builds validated consumer options (everything but `handler`) from the environment; `overrides`
 * win over it. Every error names the variable (with `prefix`, default KAFKA_) and how to fix it;
 * a missing required variable comes with an example. Credentials are only ever read from `env`.
 */
export function loadOptionsFromEnv(
  env: Env = process.env,
  overrides: Partial<EnvOptions> = {},
  { prefix = DEFAULT_PREFIX }: EnvLoadOptions = {},
): EnvOptions {
  const issues: string[] = [];
  const options: Record<string, unknown> = {};
  const read = (v: Pick<EnvVariable, 'suffix'>) => {
    const value = env[prefix + v.suffix]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  for (const v of ENV_VARIABLES) {
    const raw = read(v);
    if (raw === undefined) {
      if (v.required && (overrides as Record<string, unknown>)[v.option] === undefined)
        issues.push(`${prefix}${v.suffix}: required, e.g. ${prefix}${v.suffix}=${v.example}`);
      continue;
    }
    try {
      setPath(options, v.option, v.parse(raw));
    } catch (error) {
      issues.push(`${prefix}${v.suffix}: ${(error as Error).message}`);
    }
  }
  const sasl = options.sasl as Record<string, unknown> | undefined;
  if (sasl !== undefined && sasl.mechanism === undefined)
    issues.push(
      `${prefix}SASL_MECHANISM: required when ${prefix}SASL_USERNAME/${prefix}SASL_PASSWORD are set`,
    );
  else if (sasl !== undefined && (sasl.username === undefined || sasl.password === undefined))
    issues.push(
      `${prefix}SASL_USERNAME / ${prefix}SASL_PASSWORD: both are required when ${prefix}SASL_MECHANISM is set`,
    );
  issues.push(...clientCertificateIssues(options.ssl, (suffix) => read({ suffix }) !== undefined, prefix));
  if (issues.length > 0) throw new ConfigError(issues);
  return validateOptionsWithoutHandler({ ...options, ...overrides } as EnvOptions, namer(prefix));
}
