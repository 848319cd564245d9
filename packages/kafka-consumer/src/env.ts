import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import {
  type ConsumerOptions,
  DEFAULTS,
  type SaslOptions,
  validateOptionsWithoutHandler,
} from './options.js';

export interface EnvVariable {
  name: string;
  /** The option it sets, as a dotted path. */
  option: string;
  description: string;
  /** Default as shown to users; undefined when the variable is required. */
  default: string | undefined;
  required: boolean;
  secret: boolean;
}

const v = (
  name: string,
  option: string,
  description: string,
  def: string | undefined,
  extra: { required?: boolean; secret?: boolean } = {},
): EnvVariable => ({
  name,
  option,
  description,
  default: def,
  required: extra.required ?? false,
  secret: extra.secret ?? false,
});

/** Every variable `loadOptionsFromEnv` reads, in display order (the generator renders its table from this). */
export const ENV_VARIABLES: readonly EnvVariable[] = [
  v('KAFKA_BROKERS', 'brokers', 'Comma-separated bootstrap brokers, host:port', undefined, {
    required: true,
  }),
  v('KAFKA_CLIENT_ID', 'clientId', 'Client id reported to the brokers', 'the group id'),
  v('KAFKA_GROUP_ID', 'groupId', 'Consumer group id', 'the client id'),
  v('KAFKA_TOPICS', 'topics', 'Comma-separated topics to consume', undefined, { required: true }),
  v(
    'KAFKA_FROM_BEGINNING',
    'fromBeginning',
    'Start from the earliest offset when the group has none (true/false)',
    String(DEFAULTS.fromBeginning),
  ),
  v('KAFKA_COMMIT_STRATEGY', 'commit.strategy', 'per-message, per-batch or interval', DEFAULTS.commit),
  v(
    'KAFKA_COMMIT_INTERVAL_MS',
    'commit.intervalMs',
    'Commit period for the interval strategy (ms)',
    String(DEFAULTS.commitIntervalMs),
  ),
  v(
    'KAFKA_MAX_RETRIES',
    'retry.maxRetries',
    'Retries after the first failed attempt',
    String(DEFAULTS.retry.maxRetries),
  ),
  v(
    'KAFKA_RETRY_INITIAL_DELAY_MS',
    'retry.initialDelayMs',
    'First backoff delay cap (ms)',
    String(DEFAULTS.retry.initialDelayMs),
  ),
  v(
    'KAFKA_RETRY_MAX_DELAY_MS',
    'retry.maxDelayMs',
    'Largest backoff delay (ms)',
    String(DEFAULTS.retry.maxDelayMs),
  ),
  v(
    'KAFKA_DLQ_TOPIC',
    'deadLetter.topic',
    'Dead-letter topic; "none" disables the DLQ (failing partitions stop)',
    '<topic>.dlq',
  ),
  v(
    'KAFKA_DRAIN_TIMEOUT_MS',
    'shutdown.drainTimeoutMs',
    'Time in-flight handlers get on shutdown (ms)',
    String(DEFAULTS.shutdown.drainTimeoutMs),
  ),
  v('KAFKA_SSL', 'ssl', 'Use TLS (true/false)', 'false'),
  v('KAFKA_SSL_CA_FILE', 'ssl.ca', 'Path to a PEM CA bundle (implies KAFKA_SSL=true)', undefined),
  v(
    'KAFKA_SSL_REJECT_UNAUTHORIZED',
    'ssl.rejectUnauthorized',
    'Verify the broker certificate (true/false)',
    'true',
  ),
  v(
    'KAFKA_SASL_MECHANISM',
    'sasl.mechanism',
    'plain, scram-sha-256 or scram-sha-512; unset = no SASL',
    undefined,
  ),
  v('KAFKA_SASL_USERNAME', 'sasl.username', 'SASL username', undefined, { secret: true }),
  v('KAFKA_SASL_PASSWORD', 'sasl.password', 'SASL password', undefined, { secret: true }),
];

type Env = Record<string, string | undefined>;
/** What the environment can set: everything but `handler`, `codec` and `logger` (add those in code). */
export type EnvOptions = Omit<ConsumerOptions, 'handler' | 'codec' | 'logger'>;

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const OPTION_TO_VAR: Record<string, string> = {
  commit: 'KAFKA_COMMIT_STRATEGY',
  deadLetter: 'KAFKA_DLQ_TOPIC',
  shutdown: 'KAFKA_DRAIN_TIMEOUT_MS',
  retry: 'KAFKA_MAX_RETRIES',
};
for (const variable of ENV_VARIABLES) OPTION_TO_VAR[variable.option] = variable.name;

function variableFor(path: readonly PropertyKey[]): string {
  const parts = path.filter((p) => typeof p === 'string');
  for (let i = parts.length; i > 0; i--) {
    const hit = OPTION_TO_VAR[parts.slice(0, i).join('.')];
    if (hit !== undefined) return hit;
  }
  return path.map(String).join('.') || '(environment)';
}

/**
 * Builds validated consumer options (everything but `handler`) from KAFKA_* variables; `overrides`
 * win over the environment. Errors name the variable. Credentials are only ever read from `env`.
 */
export function loadOptionsFromEnv(env: Env = process.env, overrides: Partial<EnvOptions> = {}): EnvOptions {
  const issues: string[] = [];
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const bool = (name: string): boolean | undefined => {
    const value = get(name)?.toLowerCase();
    if (value === undefined) return undefined;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    issues.push(`${name}: must be true or false, got "${get(name)}"`);
    return undefined;
  };
  const int = (name: string): number | undefined => {
    const value = get(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) {
      issues.push(`${name}: must be an integer, got "${value}"`);
      return undefined;
    }
    return Number(value);
  };

  const options: Record<string, unknown> = {};
  const brokers = get('KAFKA_BROKERS');
  const topics = get('KAFKA_TOPICS');
  if (brokers === undefined && overrides.brokers === undefined)
    issues.push('KAFKA_BROKERS: required, e.g. "localhost:9092"');
  if (topics === undefined && overrides.topics === undefined)
    issues.push('KAFKA_TOPICS: required, e.g. "orders.placed"');
  if (brokers !== undefined) options.brokers = list(brokers);
  if (topics !== undefined) options.topics = list(topics);
  const set = (key: string, value: unknown) => {
    if (value !== undefined) options[key] = value;
  };
  set('clientId', get('KAFKA_CLIENT_ID'));
  set('groupId', get('KAFKA_GROUP_ID'));
  set('fromBeginning', bool('KAFKA_FROM_BEGINNING'));

  const strategy = get('KAFKA_COMMIT_STRATEGY');
  const intervalMs = int('KAFKA_COMMIT_INTERVAL_MS');
  if (strategy !== undefined || intervalMs !== undefined) {
    options.commit = intervalMs === undefined ? strategy : { strategy: strategy ?? 'interval', intervalMs };
  }
  const retry: Record<string, number> = {};
  for (const [key, name] of [
    ['maxRetries', 'KAFKA_MAX_RETRIES'],
    ['initialDelayMs', 'KAFKA_RETRY_INITIAL_DELAY_MS'],
    ['maxDelayMs', 'KAFKA_RETRY_MAX_DELAY_MS'],
  ] as const) {
    const value = int(name);
    if (value !== undefined) retry[key] = value;
  }
  if (Object.keys(retry).length > 0) options.retry = retry;

  const dlq = get('KAFKA_DLQ_TOPIC');
  if (dlq !== undefined) options.deadLetter = dlq.toLowerCase() === 'none' ? false : { topic: dlq };
  const drain = int('KAFKA_DRAIN_TIMEOUT_MS');
  if (drain !== undefined) options.shutdown = { drainTimeoutMs: drain };

  const ssl = bool('KAFKA_SSL');
  const caFile = get('KAFKA_SSL_CA_FILE');
  const rejectUnauthorized = bool('KAFKA_SSL_REJECT_UNAUTHORIZED');
  if (caFile !== undefined || rejectUnauthorized !== undefined) {
    const tls: Record<string, unknown> = {};
    if (caFile !== undefined) {
      try {
        tls.ca = [readFileSync(caFile, 'utf8')];
      } catch (error) {
        issues.push(`KAFKA_SSL_CA_FILE: cannot read "${caFile}" (${(error as Error).message})`);
      }
    }
    if (rejectUnauthorized !== undefined) tls.rejectUnauthorized = rejectUnauthorized;
    if (ssl !== false) options.ssl = tls;
  } else if (ssl !== undefined) {
    options.ssl = ssl;
  }

  const mechanism = get('KAFKA_SASL_MECHANISM')?.toLowerCase();
  if (mechanism !== undefined) {
    const username = get('KAFKA_SASL_USERNAME');
    const password = get('KAFKA_SASL_PASSWORD');
    if (!['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism)) {
      issues.push(`KAFKA_SASL_MECHANISM: must be plain, scram-sha-256 or scram-sha-512, got "${mechanism}"`);
    } else if (username === undefined || password === undefined) {
      issues.push(
        'KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD: both are required when KAFKA_SASL_MECHANISM is set',
      );
    } else {
      options.sasl = { mechanism, username, password } as SaslOptions;
    }
  } else if (get('KAFKA_SASL_USERNAME') !== undefined || get('KAFKA_SASL_PASSWORD') !== undefined) {
    issues.push('KAFKA_SASL_MECHANISM: required when KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD are set');
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const merged = { ...options, ...overrides } as EnvOptions;
  return validateOptionsWithoutHandler(merged, variableFor);
}
