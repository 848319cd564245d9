import { DEFAULTS } from './defaults.js';
import { pemCaFile, pemCertificateFile, pemKeyFile } from './env-pem.js';

/** One environment variable: the option it sets, how its text is parsed, how it is documented. */
export interface EnvVariable {
  /** Full name with the default prefix, e.g. KAFKA_BROKERS. */
  name: string;
  /** The name without the prefix, e.g. BROKERS. */
  suffix: string;
  /** The option it sets, as a dotted path. */
  option: string;
  description: string;
  /** Default as shown to users; undefined when the variable is required or has none. */
  default: string | undefined;
  required: boolean;
  secret: boolean;
  /** An example value (shown when a required one is missing). */
  example: string;
  /** Text -> option value; throws an Error whose message says what is wrong. */
  parse: (raw: string) => unknown;
}

export const DEFAULT_PREFIX = 'KAFKA_';
const str = (raw: string) => raw;
const list = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
const bool = (raw: string) => {
  const value = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new Error(`must be true or false, got "${raw}"`);
};
const int = (raw: string) => {
  if (!/^-?\d+$/.test(raw)) throw new Error(`must be an integer, got "${raw}"`);
  return Number(raw);
};
const lower = (raw: string) => raw.toLowerCase();

type Row = Omit<EnvVariable, 'name' | 'required' | 'secret' | 'default' | 'example'> &
  Partial<Pick<EnvVariable, 'required' | 'secret' | 'default' | 'example'>>;

const row = (r: Row): EnvVariable => ({
  ...r,
  name: DEFAULT_PREFIX + r.suffix,
  required: r.required ?? false,
  secret: r.secret ?? false,
  default: r.default,
  example: r.example ?? r.default ?? '',
});

/**
 * Every variable `loadOptionsFromEnv` reads, in display order (the generator renders its table
 * from this). A new variable is one row.
 */
export const ENV_VARIABLES: readonly EnvVariable[] = [
  row({
    suffix: 'BROKERS',
    option: 'brokers',
    description: 'Comma-separated bootstrap brokers, host:port',
    parse: list,
    required: true,
    example: 'broker-1:9092,broker-2:9092',
  }),
  row({
    suffix: 'CLIENT_ID',
    option: 'clientId',
    description: 'Client id reported to the brokers',
    parse: str,
    default: 'the group id',
  }),
  row({
    suffix: 'GROUP_ID',
    option: 'groupId',
    description: 'Consumer group id',
    parse: str,
    default: 'the client id',
  }),
  row({
    suffix: 'GROUP_TYPE',
    option: 'groupType',
    description:
      'consumer (a consumer group: offsets, ordering) or share (a share group, KIP-932, Kafka 4.2+: a queue; no commit strategy, ordering or from-beginning)',
    parse: (raw) => {
      const type = raw.toLowerCase();
      if (type !== 'consumer' && type !== 'share') throw new Error(`must be consumer or share, got "${raw}"`);
      return type;
    },
    default: 'consumer',
  }),
  row({
    suffix: 'TOPICS',
    option: 'topics',
    description: 'Comma-separated topics to consume',
    parse: list,
    required: true,
    example: 'orders.placed',
  }),
  row({
    suffix: 'MISSING_TOPICS',
    option: 'missingTopics',
    description:
      'A topic that does not exist at start: wait (warn, /readyz 503, consume once it exists) or fail (exit naming it)',
    parse: (raw) => {
      const mode = raw.toLowerCase();
      if (mode !== 'wait' && mode !== 'fail') throw new Error(`must be wait or fail, got "${raw}"`);
      return mode;
    },
    default: 'fail when NODE_ENV=production, else wait',
  }),
  row({
    suffix: 'FROM_BEGINNING',
    option: 'fromBeginning',
    description: 'Start from the earliest offset when the group has none (true/false)',
    parse: bool,
    default: String(DEFAULTS.fromBeginning),
  }),
  row({
    suffix: 'COMMIT_STRATEGY',
    option: 'commit.strategy',
    description: 'per-message, per-batch or interval',
    parse: str,
    default: DEFAULTS.commit,
  }),
  row({
    suffix: 'COMMIT_INTERVAL_MS',
    option: 'commit.intervalMs',
    description: 'Commit period for the interval strategy (ms)',
    parse: int,
    default: String(DEFAULTS.commitIntervalMs),
  }),
  row({
    suffix: 'COMMIT_MAX_UNCOMMITTED',
    option: 'commit.maxUncommitted',
    description:
      'per-message: finished-but-uncommitted messages per partition before the next handler waits (1 = strict)',
    parse: int,
    default: String(DEFAULTS.maxUncommitted),
  }),
  row({
    suffix: 'ORDERING',
    option: 'ordering',
    description: 'partition, key or unordered',
    parse: lower,
    default: DEFAULTS.ordering,
  }),
  row({
    suffix: 'CONCURRENCY',
    option: 'concurrency',
    description: 'Most handler calls in flight (partition ordering: partitions at once)',
    parse: int,
    default: String(DEFAULTS.concurrency),
  }),
  row({
    suffix: 'MAX_BUFFERED_PER_PARTITION',
    option: 'maxBufferedPerPartition',
    description: 'key/unordered: buffered messages per partition before its fetch pauses',
    parse: int,
    default: String(DEFAULTS.maxBufferedPerPartition),
  }),
  row({
    suffix: 'MAX_RETRIES',
    option: 'retry.maxRetries',
    description: 'Retries after the first failed attempt',
    parse: int,
    default: String(DEFAULTS.retry.maxRetries),
  }),
  row({
    suffix: 'RETRY_INITIAL_DELAY_MS',
    option: 'retry.initialDelayMs',
    description: 'First backoff delay cap (ms)',
    parse: int,
    default: String(DEFAULTS.retry.initialDelayMs),
  }),
  row({
    suffix: 'RETRY_MAX_DELAY_MS',
    option: 'retry.maxDelayMs',
    description: 'Largest backoff delay (ms)',
    parse: int,
    default: String(DEFAULTS.retry.maxDelayMs),
  }),
  row({
    suffix: 'RETRY_UNAVAILABLE_INITIAL_DELAY_MS',
    option: 'retry.unavailable.initialDelayMs',
    description:
      'First backoff delay while a dependency is unavailable (DependencyUnavailableError: retried, never dead-lettered) (ms)',
    parse: int,
    default: String(DEFAULTS.retry.unavailable.initialDelayMs),
  }),
  row({
    suffix: 'RETRY_UNAVAILABLE_MAX_DELAY_MS',
    option: 'retry.unavailable.maxDelayMs',
    description: 'Largest backoff delay while a dependency is unavailable (ms)',
    parse: int,
    default: String(DEFAULTS.retry.unavailable.maxDelayMs),
  }),
  row({
    suffix: 'RETRY_TOPICS',
    option: 'retry.topics',
    description:
      'Retry tiers: comma-separated delays (e.g. 10s,5m; "none"); a failing message waits in <topic>.<group>.retry.<delay> without holding its partition, then the DLQ',
    parse: (raw) => (raw.toLowerCase() === 'none' ? [] : list(raw).map((delay) => ({ delay }))),
    default: 'none',
    example: '10s,5m',
  }),
  row({
    suffix: 'DLQ_TOPIC',
    option: 'deadLetter',
    description: 'Dead-letter topic; "none" disables the DLQ (failing partitions stop)',
    parse: (raw) => (raw.toLowerCase() === 'none' ? false : { topic: raw }),
    default: '<topic>.dlq',
  }),
  row({
    suffix: 'DLQ_CREATE_TOPICS',
    option: 'deadLetter.createTopics',
    description: 'Create missing DLQ topics at start (true/false); false fails start-up naming them',
    parse: bool,
    default: String(DEFAULTS.deadLetter.createTopics),
  }),
  row({
    suffix: 'DRAIN_TIMEOUT_MS',
    option: 'shutdown.drainTimeoutMs',
    description: 'Time in-flight handlers get on shutdown (ms)',
    parse: int,
    default: String(DEFAULTS.shutdown.drainTimeoutMs),
  }),
  row({ suffix: 'SSL', option: 'ssl', description: 'Use TLS (true/false)', parse: bool, default: 'false' }),
  row({
    suffix: 'SSL_CA_FILE',
    option: 'ssl.ca',
    description: 'Path to a PEM CA bundle (implies KAFKA_SSL=true)',
    parse: pemCaFile,
  }),
  row({
    suffix: 'SSL_CERT_FILE',
    option: 'ssl.cert',
    description:
      'Mutual TLS: path to the PEM client certificate; needs KAFKA_SSL_KEY_FILE (implies KAFKA_SSL=true)',
    parse: pemCertificateFile,
  }),
  row({
    suffix: 'SSL_KEY_FILE',
    option: 'ssl.key',
    description: 'Mutual TLS: path to the PEM private key of KAFKA_SSL_CERT_FILE (implies KAFKA_SSL=true)',
    parse: pemKeyFile,
  }),
  row({
    suffix: 'SSL_KEY_PASSWORD',
    option: 'ssl.passphrase',
    description: 'Password of an encrypted KAFKA_SSL_KEY_FILE',
    parse: str,
    secret: true,
  }),
  row({
    suffix: 'SSL_REJECT_UNAUTHORIZED',
    option: 'ssl.rejectUnauthorized',
    description: 'Verify the broker certificate (true/false)',
    parse: bool,
    default: 'true',
  }),
  row({
    suffix: 'SASL_MECHANISM',
    option: 'sasl.mechanism',
    description: 'plain, scram-sha-256 or scram-sha-512; unset = no SASL',
    parse: (raw) => {
      const mechanism = raw.toLowerCase();
      if (!['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism))
        throw new Error(`must be plain, scram-sha-256 or scram-sha-512, got "${raw}"`);
      return mechanism;
    },
  }),
  row({
    suffix: 'SASL_USERNAME',
    option: 'sasl.username',
    description: 'SASL username',
    parse: str,
    secret: true,
  }),
  row({
    suffix: 'SASL_PASSWORD',
    option: 'sasl.password',
    description: 'SASL password',
    parse: str,
    secret: true,
  }),
];
