import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultMissingTopics } from '../../src/group/missing-topics.js';
import {
  ConfigError,
  createConsumer,
  ENV_VARIABLES,
  jsonCodec,
  loadOptionsFromEnv,
  noopLogger,
} from '../../src/index.js';

const minimal = {
  KAFKA_BROKERS: 'a:9092, b:9093',
  KAFKA_TOPICS: 'orders.placed,orders.cancelled',
  KAFKA_GROUP_ID: 'g',
};

function issues(env: Record<string, string>): string {
  try {
    loadOptionsFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('loadOptionsFromEnv', () => {
  it('reads the minimal variables', () => {
    expect(loadOptionsFromEnv(minimal)).toEqual({
      brokers: ['a:9092', 'b:9093'],
      topics: ['orders.placed', 'orders.cancelled'],
      groupId: 'g',
    });
  });

  it('reads every variable', () => {
    const file = (name: string) => fileURLToPath(new URL(`./support/tls/${name}`, import.meta.url));
    const pem = readFileSync(file('client.pem'), 'utf8');
    const key = readFileSync(file('client-encrypted.key'), 'utf8');
    const options = loadOptionsFromEnv({
      ...minimal,
      KAFKA_CLIENT_ID: 'svc',
      KAFKA_FROM_BEGINNING: 'true',
      KAFKA_COMMIT_STRATEGY: 'interval',
      KAFKA_COMMIT_INTERVAL_MS: '1000',
      KAFKA_MAX_RETRIES: '5',
      KAFKA_RETRY_INITIAL_DELAY_MS: '50',
      KAFKA_RETRY_MAX_DELAY_MS: '500',
      KAFKA_RETRY_UNAVAILABLE_INITIAL_DELAY_MS: '20',
      KAFKA_RETRY_UNAVAILABLE_MAX_DELAY_MS: '2000',
      KAFKA_DLQ_TOPIC: 'all.dlq',
      KAFKA_DRAIN_TIMEOUT_MS: '2000',
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: file('client.pem'),
      KAFKA_SSL_CERT_FILE: file('client.pem'),
      KAFKA_SSL_KEY_FILE: file('client-encrypted.key'),
      KAFKA_SSL_KEY_PASSWORD: 'unit-test-key-pass',
      KAFKA_SSL_REJECT_UNAUTHORIZED: 'false',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'user',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    expect(options).toEqual({
      brokers: ['a:9092', 'b:9093'],
      topics: ['orders.placed', 'orders.cancelled'],
      groupId: 'g',
      clientId: 'svc',
      fromBeginning: true,
      commit: { strategy: 'interval', intervalMs: 1000 },
      retry: {
        maxRetries: 5,
        initialDelayMs: 50,
        maxDelayMs: 500,
        unavailable: { initialDelayMs: 20, maxDelayMs: 2000 },
      },
      deadLetter: { topic: 'all.dlq' },
      shutdown: { drainTimeoutMs: 2000 },
      ssl: { ca: [pem], cert: pem, key, passphrase: 'unit-test-key-pass', rejectUnauthorized: false },
      sasl: { mechanism: 'scram-sha-512', username: 'user', password: 'secret' },
    });
  });

  it('KAFKA_DLQ_TOPIC=none disables the dead-letter queue', () => {
    expect(loadOptionsFromEnv({ ...minimal, KAFKA_DLQ_TOPIC: 'none' }).deadLetter).toBe(false);
  });

  it('spreads into createConsumer with the right value type per codec', () => {
    const raw = createConsumer({
      ...loadOptionsFromEnv(minimal, { shutdown: { signals: [] } }),
      logger: noopLogger,
      handler: ({ value }) => {
        const buffer: Buffer | null = value;
        void buffer;
      },
    });
    const json = createConsumer({
      ...loadOptionsFromEnv(minimal, { shutdown: { signals: [] } }),
      codec: jsonCodec,
      logger: noopLogger,
      handler: ({ value }) => {
        const decoded: unknown = value;
        void decoded;
      },
    });
    expect(raw.options.codec.name).toBe('raw');
    expect(json.options.codec.name).toBe('json');
  });

  it('reads ordering, concurrency and the per-message window', () => {
    expect(
      loadOptionsFromEnv({
        ...minimal,
        KAFKA_ORDERING: 'key',
        KAFKA_CONCURRENCY: '64',
        KAFKA_COMMIT_STRATEGY: 'per-message',
        KAFKA_COMMIT_MAX_UNCOMMITTED: '1',
        KAFKA_DLQ_CREATE_TOPICS: 'false',
      }),
    ).toMatchObject({
      ordering: 'key',
      concurrency: 64,
      commit: { strategy: 'per-message', maxUncommitted: 1 },
      deadLetter: { createTopics: false },
    });
    expect(issues({ ...minimal, KAFKA_ORDERING: 'sorted' })).toContain('KAFKA_ORDERING: must be "partition"');
    expect(issues({ ...minimal, KAFKA_CONCURRENCY: '0' })).toContain('KAFKA_CONCURRENCY: must be >= 1');
  });

  it('takes a prefix for every name, in values and in errors', () => {
    const env = {
      APP_KAFKA_BROKERS: 'a:1',
      APP_KAFKA_TOPICS: 't',
      APP_KAFKA_GROUP_ID: 'g',
      KAFKA_TOPICS: 'ignored',
    };
    expect(loadOptionsFromEnv(env, {}, { prefix: 'APP_KAFKA_' })).toEqual({
      brokers: ['a:1'],
      topics: ['t'],
      groupId: 'g',
    });
    const error = (() => {
      try {
        loadOptionsFromEnv(
          { APP_KAFKA_TOPICS: 't', APP_KAFKA_MAX_RETRIES: 'x' },
          {},
          { prefix: 'APP_KAFKA_' },
        );
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.issues).toEqual([
      'APP_KAFKA_BROKERS: required, e.g. APP_KAFKA_BROKERS=broker-1:9092,broker-2:9092',
      'APP_KAFKA_MAX_RETRIES: must be an integer, got "x"',
    ]);
  });

  it('lets overrides win', () => {
    expect(loadOptionsFromEnv(minimal, { groupId: 'other' }).groupId).toBe('other');
  });

  it.each([
    [{}, 'KAFKA_BROKERS: required'],
    [{ KAFKA_BROKERS: 'a:1' }, 'KAFKA_TOPICS: required'],
    [{ ...minimal, KAFKA_BROKERS: 'nohost' }, 'KAFKA_BROKERS: must be "host:port"'],
    [{ ...minimal, KAFKA_TOPICS: 'bad topic' }, 'KAFKA_TOPICS: is not a valid Kafka topic name'],
    [{ ...minimal, KAFKA_MAX_RETRIES: 'three' }, 'KAFKA_MAX_RETRIES: must be an integer'],
    [{ ...minimal, KAFKA_MAX_RETRIES: '-1' }, 'KAFKA_MAX_RETRIES: must be >= 0'],
    [{ ...minimal, KAFKA_COMMIT_STRATEGY: 'sometimes' }, 'KAFKA_COMMIT_STRATEGY: must be'],
    [
      { ...minimal, KAFKA_DLQ_TOPIC: 'orders.placed' },
      'KAFKA_DLQ_TOPIC: "orders.placed" is also a source topic',
    ],
    [{ ...minimal, KAFKA_FROM_BEGINNING: 'maybe' }, 'KAFKA_FROM_BEGINNING: must be true or false'],
    [
      { ...minimal, KAFKA_SASL_MECHANISM: 'plain' },
      'KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD: both are required',
    ],
    [
      { ...minimal, KAFKA_SASL_MECHANISM: 'kerberos', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
      'KAFKA_SASL_MECHANISM: must be',
    ],
    [{ ...minimal, KAFKA_SSL_CA_FILE: '/does/not/exist.pem' }, 'KAFKA_SSL_CA_FILE: cannot read'],
  ])('rejects %j naming the variable', (env, expected) => {
    expect(issues(env as Record<string, string>)).toContain(expected);
  });

  it('documents every variable it reads', () => {
    const names = ENV_VARIABLES.map((v) => v.name);
    expect(names).toEqual([
      'KAFKA_BROKERS',
      'KAFKA_CLIENT_ID',
      'KAFKA_GROUP_ID',
      'KAFKA_GROUP_TYPE',
      'KAFKA_TOPICS',
      'KAFKA_MISSING_TOPICS',
      'KAFKA_FROM_BEGINNING',
      'KAFKA_COMMIT_STRATEGY',
      'KAFKA_COMMIT_INTERVAL_MS',
      'KAFKA_COMMIT_MAX_UNCOMMITTED',
      'KAFKA_ORDERING',
      'KAFKA_CONCURRENCY',
      'KAFKA_MAX_BUFFERED_PER_PARTITION',
      'KAFKA_MAX_RETRIES',
      'KAFKA_RETRY_INITIAL_DELAY_MS',
      'KAFKA_RETRY_MAX_DELAY_MS',
      'KAFKA_RETRY_UNAVAILABLE_INITIAL_DELAY_MS',
      'KAFKA_RETRY_UNAVAILABLE_MAX_DELAY_MS',
      'KAFKA_RETRY_TOPICS',
      'KAFKA_DLQ_TOPIC',
      'KAFKA_DLQ_CREATE_TOPICS',
      'KAFKA_DRAIN_TIMEOUT_MS',
      'KAFKA_SSL',
      'KAFKA_SSL_CA_FILE',
      'KAFKA_SSL_CERT_FILE',
      'KAFKA_SSL_KEY_FILE',
      'KAFKA_SSL_KEY_PASSWORD',
      'KAFKA_SSL_REJECT_UNAUTHORIZED',
      'KAFKA_SASL_MECHANISM',
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD',
    ]);
    for (const v of ENV_VARIABLES) expect(v.description.length).toBeGreaterThan(5);
    expect(ENV_VARIABLES.filter((v) => v.secret).map((v) => v.name)).toEqual([
      'KAFKA_SSL_KEY_PASSWORD',
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD',
    ]);
  });
});

describe('KAFKA_MISSING_TOPICS', () => {
  const base = { KAFKA_BROKERS: 'a:9092', KAFKA_TOPICS: 't', KAFKA_GROUP_ID: 'g' };

  it('reads wait or fail, any case, and refuses anything else naming the variable', () => {
    expect(loadOptionsFromEnv({ ...base, KAFKA_MISSING_TOPICS: 'FAIL' }).missingTopics).toBe('fail');
    expect(loadOptionsFromEnv({ ...base, KAFKA_MISSING_TOPICS: 'wait' }).missingTopics).toBe('wait');
    expect(() => loadOptionsFromEnv({ ...base, KAFKA_MISSING_TOPICS: 'create' })).toThrow(
      'KAFKA_MISSING_TOPICS: must be wait or fail, got "create"',
    );
  });

  it('defaults to fail under NODE_ENV=production and to wait otherwise', () => {
    expect(defaultMissingTopics('production')).toBe('fail');
    expect(defaultMissingTopics('development')).toBe('wait');
    expect(defaultMissingTopics(undefined)).toBe('wait');
  });
});

describe('KAFKA_GROUP_TYPE', () => {
  const base = { KAFKA_BROKERS: 'a:9092', KAFKA_TOPICS: 't', KAFKA_GROUP_ID: 'g' };

  it('maps consumer or share, any case, to groupType and leaves it to the default (consumer) when unset', () => {
    expect(loadOptionsFromEnv({ ...base, KAFKA_GROUP_TYPE: 'SHARE' }).groupType).toBe('share');
    expect(loadOptionsFromEnv({ ...base, KAFKA_GROUP_TYPE: 'consumer' }).groupType).toBe('consumer');
    expect(loadOptionsFromEnv(base).groupType).toBeUndefined();
  });

  it('refuses anything else naming the variable', () => {
    expect(() => loadOptionsFromEnv({ ...base, KAFKA_GROUP_TYPE: 'queue' })).toThrow(
      'KAFKA_GROUP_TYPE: must be consumer or share, got "queue"',
    );
  });

  it('refuses a commit strategy, ordering or from-beginning with share, naming the variable', () => {
    const load = (extra: Record<string, string>) => () =>
      loadOptionsFromEnv({ ...base, KAFKA_GROUP_TYPE: 'share', ...extra });
    expect(load({})).not.toThrow();
    expect(load({ KAFKA_COMMIT_STRATEGY: 'per-batch' })).toThrow(/KAFKA_COMMIT_STRATEGY.*share consumer/);
    expect(load({ KAFKA_ORDERING: 'key' })).toThrow(/KAFKA_ORDERING.*share consumer/);
    expect(load({ KAFKA_FROM_BEGINNING: 'true' })).toThrow(/KAFKA_FROM_BEGINNING.*share consumer/);
  });
});
