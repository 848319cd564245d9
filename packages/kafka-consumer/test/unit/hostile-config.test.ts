import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, type ConsumerOptions, createConsumer, loadOptionsFromEnv } from '../../src/index.js';

const handler = async () => undefined;
const base = { brokers: ['localhost:9092'], groupId: 'g', topics: ['orders.placed'], handler };
const baseEnv = { KAFKA_BROKERS: 'localhost:9092', KAFKA_TOPICS: 'orders.placed', KAFKA_GROUP_ID: 'g' };

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** [what, options patch, field named, fix given]: every row must be rejected at construction. */
const OPTIONS: Array<[string, Record<string, unknown>, string, string]> = [
  ['no brokers', { brokers: [] }, 'brokers', 'at least one broker, e.g. ["localhost:9092"]'],
  ['brokers not an array', { brokers: 'localhost:9092' }, 'brokers', 'array of "host:port"'],
  ['broker without port', { brokers: ['localhost'] }, 'brokers.0', '"host:port"'],
  ['broker port 0', { brokers: ['localhost:0'] }, 'brokers.0', 'port from 1 to 65535'],
  ['broker port too big', { brokers: ['localhost:70000'] }, 'brokers.0', 'port from 1 to 65535'],
  ['broker URL', { brokers: ['kafka://localhost:9092'] }, 'brokers.0', '"host:port"'],
  ['broker with a space', { brokers: ['local host:9092'] }, 'brokers.0', '"host:port"'],
  ['no topics', { topics: [] }, 'topics', 'at least one topic'],
  ['topic with a space', { topics: ['bad topic'] }, 'topics.0', '[a-zA-Z0-9._-]'],
  ['topic ".."', { topics: ['..'] }, 'topics.0', 'not "." or ".."'],
  ['topic with a slash (path trick)', { topics: ['../etc/passwd'] }, 'topics.0', '[a-zA-Z0-9._-]'],
  ['topic with a NUL byte', { topics: ['orders\u0000'] }, 'topics.0', '[a-zA-Z0-9._-]'],
  ['topic with a newline', { topics: ['orders\nplaced'] }, 'topics.0', '[a-zA-Z0-9._-]'],
  ['topic of 250 characters', { topics: ['a'.repeat(250)] }, 'topics.0', '1-249 characters'],
  ['topic a number', { topics: [42] }, 'topics.0', 'must be a string'],
  ['empty groupId', { groupId: '' }, 'groupId', 'must not be empty'],
  ['groupId a number', { groupId: 7 }, 'groupId', 'must be a string'],
  ['unknown commit strategy', { commit: 'sometimes' }, 'commit', '"per-message", "per-batch", "interval"'],
  [
    'interval of 0 ms',
    { commit: { strategy: 'interval', intervalMs: 0 } },
    'commit.intervalMs',
    'must be >= 1 (milliseconds)',
  ],
  ['negative maxRetries', { retry: { maxRetries: -1 } }, 'retry.maxRetries', 'use 0 to disable retries'],
  ['fractional maxRetries', { retry: { maxRetries: 1.5 } }, 'retry.maxRetries', 'must be an integer'],
  ['maxRetries NaN', { retry: { maxRetries: Number.NaN } }, 'retry.maxRetries', 'must be a number'],
  [
    'maxRetries Infinity',
    { retry: { maxRetries: Number.POSITIVE_INFINITY } },
    'retry.maxRetries',
    'must be a number',
  ],
  [
    'maxDelay below initialDelay',
    { retry: { initialDelayMs: 500, maxDelayMs: 100 } },
    'retry.maxDelayMs',
    '>= retry.initialDelayMs',
  ],
  ['multiplier below 1', { retry: { multiplier: 0.5 } }, 'retry.multiplier', 'must be >= 1'],
  ['unknown jitter', { retry: { jitter: 'some' } }, 'retry.jitter', '"full" or "none"'],
  [
    'unknown retry option',
    { retry: { retries: 3 } },
    'retry.retries',
    'unknown option, remove it or check its spelling',
  ],
  [
    'DLQ topic = source topic',
    { deadLetter: { topic: 'orders.placed' } },
    'deadLetter.topic',
    'also a source topic',
  ],
  [
    'DLQ writeAttempts 0',
    { deadLetter: { writeAttempts: 0 } },
    'deadLetter.writeAttempts',
    'at least one write attempt',
  ],
  ['deadLetter true', { deadLetter: true }, 'deadLetter', ''],
  ['negative drain timeout', { shutdown: { drainTimeoutMs: -1 } }, 'shutdown.drainTimeoutMs', 'must be >= 0'],
  ['bad signal name', { shutdown: { signals: ['TERM'] } }, 'shutdown.signals.0', 'like "SIGTERM"'],
  ['concurrency 0', { concurrency: 0 }, 'concurrency', 'handler calls in flight at once'],
  ['session timeout 10 ms', { sessionTimeoutMs: 10 }, 'sessionTimeoutMs', 'must be >= 1000'],
  [
    'heartbeat above session',
    { heartbeatIntervalMs: 10_000, sessionTimeoutMs: 6000 },
    'heartbeatIntervalMs',
    'below sessionTimeoutMs',
  ],
  [
    'unknown SASL mechanism',
    { sasl: { mechanism: 'kerberos', username: 'u', password: 'p' } },
    'sasl',
    'scram-sha-512',
  ],
  ['SASL without password', { sasl: { mechanism: 'scram-sha-512', username: 'u' } }, 'sasl', 'password'],
  ['ssl a string', { ssl: 'yes' }, 'ssl', 'true/false or TLS options'],
  ['handler not a function', { handler: 'nope' }, 'handler', 'async function'],
  ['logger without methods', { logger: {} }, 'logger', 'debug/info/warn/error methods'],
  ['misspelt option', { topic: 'orders' }, 'topic', 'unknown option, remove it or check its spelling'],
  [
    'prototype pollution key',
    JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}'),
    'constructor',
    'unknown option',
  ],
];

/** Throwaway PEM files made once with openssl (test/unit/support/tls); nothing trusts them. */
const tls = (file: string) => fileURLToPath(new URL(`./support/tls/${file}`, import.meta.url));
const CERT = tls('client.pem');
const KEY = tls('client.key');
const ENCRYPTED_KEY = tls('client-encrypted.key');
const KEY_PASSWORD = 'unit-test-key-pass';
const NOT_PEM = fileURLToPath(import.meta.url);

/** [what, env patch, variable named, fix given]. */
const ENV: Array<[string, Record<string, string>, string, string]> = [
  [
    'missing KAFKA_BROKERS',
    { KAFKA_BROKERS: '' },
    'KAFKA_BROKERS',
    'required, e.g. KAFKA_BROKERS=broker-1:9092',
  ],
  [
    'missing KAFKA_TOPICS',
    { KAFKA_TOPICS: '  ' },
    'KAFKA_TOPICS',
    'required, e.g. KAFKA_TOPICS=orders.placed',
  ],
  ['broker without port', { KAFKA_BROKERS: 'kafka-1' }, 'KAFKA_BROKERS', '"host:port"'],
  ['topic with a space', { KAFKA_TOPICS: 'orders placed' }, 'KAFKA_TOPICS', '[a-zA-Z0-9._-]'],
  [
    'KAFKA_MAX_RETRIES not a number',
    { KAFKA_MAX_RETRIES: 'three' },
    'KAFKA_MAX_RETRIES',
    'must be an integer',
  ],
  ['KAFKA_MAX_RETRIES fractional', { KAFKA_MAX_RETRIES: '2.5' }, 'KAFKA_MAX_RETRIES', 'must be an integer'],
  [
    'KAFKA_MAX_RETRIES negative',
    { KAFKA_MAX_RETRIES: '-1' },
    'KAFKA_MAX_RETRIES',
    'use 0 to disable retries',
  ],
  ['KAFKA_MAX_RETRIES hex', { KAFKA_MAX_RETRIES: '0x10' }, 'KAFKA_MAX_RETRIES', 'must be an integer'],
  [
    'KAFKA_DRAIN_TIMEOUT_MS with a unit',
    { KAFKA_DRAIN_TIMEOUT_MS: '30s' },
    'KAFKA_DRAIN_TIMEOUT_MS',
    'must be an integer',
  ],
  [
    'KAFKA_COMMIT_STRATEGY unknown',
    { KAFKA_COMMIT_STRATEGY: 'always' },
    'KAFKA_COMMIT_STRATEGY',
    '"per-message", "per-batch", "interval"',
  ],
  [
    'KAFKA_COMMIT_INTERVAL_MS 0',
    { KAFKA_COMMIT_INTERVAL_MS: '0' },
    'KAFKA_COMMIT_INTERVAL_MS',
    'milliseconds',
  ],
  [
    'KAFKA_FROM_BEGINNING maybe',
    { KAFKA_FROM_BEGINNING: 'maybe' },
    'KAFKA_FROM_BEGINNING',
    'must be true or false',
  ],
  ['KAFKA_SSL on', { KAFKA_SSL: 'on' }, 'KAFKA_SSL', 'must be true or false'],
  [
    'KAFKA_SSL_CA_FILE missing file',
    { KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' },
    'KAFKA_SSL_CA_FILE',
    'cannot read "/nonexistent/ca.pem"',
  ],
  [
    'KAFKA_SASL_MECHANISM unknown',
    { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
    'KAFKA_SASL_MECHANISM',
    'plain, scram-sha-256 or scram-sha-512',
  ],
  [
    'SASL without password',
    { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u' },
    'KAFKA_SASL_PASSWORD',
    'both are required',
  ],
  [
    'SASL credentials without mechanism',
    { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
    'KAFKA_SASL_MECHANISM',
    'required when',
  ],
  ['KAFKA_DLQ_TOPIC invalid', { KAFKA_DLQ_TOPIC: 'dlq topic!' }, 'KAFKA_DLQ_TOPIC', '[a-zA-Z0-9._-]'],
  [
    'KAFKA_SSL_CA_FILE not PEM',
    { KAFKA_SSL_CA_FILE: NOT_PEM },
    'KAFKA_SSL_CA_FILE',
    'holds no PEM certificate (-----BEGIN CERTIFICATE-----): use the CA that signed',
  ],
  [
    'a client certificate without its key',
    { KAFKA_SSL_CERT_FILE: CERT },
    'KAFKA_SSL_CERT_FILE / KAFKA_SSL_KEY_FILE',
    'both are required for mutual TLS; KAFKA_SSL_CERT_FILE is set, so set KAFKA_SSL_KEY_FILE',
  ],
  [
    'a client key without its certificate',
    { KAFKA_SSL_KEY_FILE: KEY },
    'KAFKA_SSL_CERT_FILE / KAFKA_SSL_KEY_FILE',
    'KAFKA_SSL_KEY_FILE is set, so set KAFKA_SSL_CERT_FILE to the PEM certificate',
  ],
  [
    'KAFKA_SSL_CERT_FILE missing file',
    { KAFKA_SSL_CERT_FILE: '/nonexistent/client.pem', KAFKA_SSL_KEY_FILE: KEY },
    'KAFKA_SSL_CERT_FILE',
    'cannot read "/nonexistent/client.pem"',
  ],
  [
    'KAFKA_SSL_CERT_FILE not PEM',
    { KAFKA_SSL_CERT_FILE: NOT_PEM, KAFKA_SSL_KEY_FILE: KEY },
    'KAFKA_SSL_CERT_FILE',
    'holds no PEM certificate',
  ],
  [
    'certificate and key files swapped',
    { KAFKA_SSL_CERT_FILE: KEY, KAFKA_SSL_KEY_FILE: CERT },
    'KAFKA_SSL_CERT_FILE',
    'are the CERT and KEY files swapped?',
  ],
  [
    'KAFKA_SSL_KEY_FILE not PEM',
    { KAFKA_SSL_CERT_FILE: CERT, KAFKA_SSL_KEY_FILE: NOT_PEM },
    'KAFKA_SSL_KEY_FILE',
    'holds no PEM private key',
  ],
  [
    'an encrypted key without its password',
    { KAFKA_SSL_CERT_FILE: CERT, KAFKA_SSL_KEY_FILE: ENCRYPTED_KEY },
    'KAFKA_SSL_KEY_FILE',
    'the key is encrypted; set KAFKA_SSL_KEY_PASSWORD to its password',
  ],
  [
    'a wrong key password',
    { KAFKA_SSL_CERT_FILE: CERT, KAFKA_SSL_KEY_FILE: ENCRYPTED_KEY, KAFKA_SSL_KEY_PASSWORD: 'wrong-pass' },
    'KAFKA_SSL_KEY_PASSWORD',
    'does not decrypt the key in KAFKA_SSL_KEY_FILE',
  ],
  [
    'the key of another certificate',
    { KAFKA_SSL_CERT_FILE: CERT, KAFKA_SSL_KEY_FILE: tls('other.key') },
    'KAFKA_SSL_CERT_FILE / KAFKA_SSL_KEY_FILE',
    'the key does not belong to the certificate',
  ],
  [
    'a key password without a key',
    { KAFKA_SSL_KEY_PASSWORD: KEY_PASSWORD },
    'KAFKA_SSL_KEY_PASSWORD',
    'set only together with KAFKA_SSL_KEY_FILE',
  ],
];

describe('hostile runtime configuration', () => {
  it(`has at least 30 option and env cases (${OPTIONS.length + ENV.length})`, () => {
    expect(OPTIONS.length + ENV.length).toBeGreaterThanOrEqual(30);
  });

  it.each(OPTIONS)('createConsumer rejects %s, naming the field and the fix', (_what, patch, field, fix) => {
    const error = configError(() => createConsumer({ ...base, ...patch } as unknown as ConsumerOptions));
    const text = error.issues.join('\n');
    expect(text).toContain(`${field}:`);
    expect(text).toContain(fix);
    expect(error.code).toBe('CONFIG_INVALID');
  });

  it.each(
    ENV,
  )('loadOptionsFromEnv rejects %s, naming the variable and the fix', (_what, patch, variable, fix) => {
    const error = configError(() => loadOptionsFromEnv({ ...baseEnv, ...patch }));
    const text = error.issues.join('\n');
    expect(text).toContain(variable);
    expect(text).toContain(fix);
  });

  it('never echoes a secret from a bad SASL setting', () => {
    const error = configError(() =>
      loadOptionsFromEnv({
        ...baseEnv,
        KAFKA_SASL_MECHANISM: 'gssapi',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'hunter2-secret',
      }),
    );
    expect(error.message).not.toContain('hunter2-secret');
  });

  it('never echoes a key password or key material from a bad mutual-TLS setting', () => {
    const error = configError(() =>
      loadOptionsFromEnv({
        ...baseEnv,
        KAFKA_SSL_CERT_FILE: CERT,
        KAFKA_SSL_KEY_FILE: ENCRYPTED_KEY,
        KAFKA_SSL_KEY_PASSWORD: 'hunter3-secret',
      }),
    );
    expect(error.issues).toEqual(['KAFKA_SSL_KEY_PASSWORD: does not decrypt the key in KAFKA_SSL_KEY_FILE']);
    const key = readFileSync(ENCRYPTED_KEY, 'utf8').split('\n')[1] ?? '';
    expect(key.length).toBeGreaterThan(20);
    expect(error.message).not.toContain('hunter3-secret');
    expect(error.message).not.toContain(key);
  });
});
