import { createPrivateKey } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTopic,
  produceMessages,
  type SecureKafkaHandle,
  startSecureKafka,
  uniqueName,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  type ConsumerOptions,
  createConsumer,
  type KafkaConsumer,
  type Logger,
  loadOptionsFromEnv,
} from '../../src/index.js';

const PASSWORDS = { alice: 'alice-Secret-1', bob: 'bob-Secret-2', carol: 'carol-Secret-3' };
const KEY_PASSWORD = 'client-Key-Pass-5';
const SECRETS = [...Object.values(PASSWORDS), 'WRONG-pw-123', 'mallory-Secret-4', KEY_PASSWORD];

/** Every log line (the runtime's and KafkaJS's), serialised, to count them and look for secrets. */
function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (obj: object, msg?: string) =>
    lines.push(
      `${level} ${msg} ${JSON.stringify(obj, (_k, v) =>
        v instanceof Error ? { name: v.name, message: v.message, stack: v.stack, cause: v.cause } : v,
      )}`,
    );
  return {
    logger: { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') },
    lines,
  };
}

describe('security: SCRAM-SHA-512, TLS, mutual TLS and ACLs', () => {
  let kafka: SecureKafkaHandle;
  let topic: string;
  let group: string;
  const consumers: KafkaConsumer[] = [];

  beforeAll(async () => {
    kafka = await startSecureKafka({ users: PASSWORDS });
    topic = uniqueName('kc-sec');
    group = uniqueName('kc-sec-group');
    await createTopic(kafka.adminBrokers, topic, 1);
    // The runtime checks its DLQ topic at connect; here it is provisioned beforehand, as on a
    // locked-down cluster (the principals may not create topics).
    await createTopic(kafka.adminBrokers, `${topic}.dlq`, 1);
    await produceMessages(kafka.adminBrokers, topic, 5);
    for (const principal of ['User:alice', 'User:mtls-client', 'User:bob', 'User:carol']) {
      await kafka.allow(principal, 'topic', `${topic}.dlq`, ['WRITE', 'DESCRIBE']);
    }
    for (const principal of ['User:alice', 'User:mtls-client']) {
      await kafka.allow(principal, 'topic', topic, ['READ', 'DESCRIBE']);
    }
    await kafka.allow('User:alice', 'group', group, ['READ']);
    await kafka.allow('User:mtls-client', 'group', group, ['READ']);
    await kafka.allow('User:bob', 'topic', topic, ['READ', 'DESCRIBE']); // no group
    await kafka.allow('User:carol', 'group', group, ['READ']); // no topic
  }, 120_000);

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    await kafka?.stop();
  }, 60_000);

  function start(options: Partial<ConsumerOptions>, groupId = uniqueName('kc-sec-group')) {
    const { logger, lines } = capture();
    const seen: string[] = [];
    const c = createConsumer({
      brokers: kafka.saslBrokers,
      groupId,
      topics: [topic],
      fromBeginning: true,
      logger,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 500,
      shutdown: { signals: [], drainTimeoutMs: 1000 },
      handler: async ({ message }) => {
        seen.push(String(message.value));
      },
      ...options,
    } as ConsumerOptions);
    consumers.push(c);
    return { c, lines, seen };
  }

  const scram = (username: string, password: string) => ({
    mechanism: 'scram-sha-512' as const,
    username,
    password,
  });

  it.each([
    ['SCRAM-SHA-512', () => ({ sasl: scram('alice', PASSWORDS.alice) })],
    [
      'SCRAM-SHA-512 over TLS',
      () => ({
        brokers: kafka.saslSslBrokers,
        ssl: { ca: [kafka.tls.ca] },
        sasl: scram('alice', PASSWORDS.alice),
      }),
    ],
    [
      'mutual TLS',
      () => ({
        brokers: kafka.mtlsBrokers,
        ssl: { ca: [kafka.tls.ca], cert: kafka.tls.cert, key: kafka.tls.key },
      }),
    ],
  ])('consumes through %s', async (_name, options) => {
    const groupId = uniqueName('kc-sec-ok');
    await kafka.allow('User:alice', 'group', groupId, ['READ']);
    await kafka.allow('User:mtls-client', 'group', groupId, ['READ']);
    const { c, seen, lines } = start(options(), groupId);
    await c.run();
    await waitFor(() => seen.length === 5, { timeoutMs: 20_000, message: 'all 5 consumed' });
    expect(c.health().status).toBe('healthy');
    for (const secret of SECRETS) expect(lines.join('\n')).not.toContain(secret);
  });

  it('consumes with the KAFKA_SASL_* and KAFKA_SSL_* variables', async () => {
    const caFile = join(tmpdir(), `kc-sec-ca-${process.pid}.pem`);
    writeFileSync(caFile, kafka.tls.ca);
    const groupId = uniqueName('kc-sec-env');
    await kafka.allow('User:alice', 'group', groupId, ['READ']);
    const env = loadOptionsFromEnv({
      KAFKA_BROKERS: kafka.saslSslBrokers.join(','),
      KAFKA_GROUP_ID: groupId,
      KAFKA_TOPICS: topic,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'alice',
      KAFKA_SASL_PASSWORD: PASSWORDS.alice,
    });
    const { c, seen } = start({ ...env, fromBeginning: true }, groupId);
    await c.run();
    await waitFor(() => seen.length === 5, { timeoutMs: 20_000, message: 'all 5 consumed' });
  });

  it('consumes over mutual TLS with KAFKA_SSL_CERT_FILE and an encrypted KAFKA_SSL_KEY_FILE + KAFKA_SSL_KEY_PASSWORD', async () => {
    const groupId = uniqueName('kc-sec-env-mtls');
    await kafka.allow('User:mtls-client', 'group', groupId, ['READ']);
    // The test PKI's client key, encrypted: the password has to reach the TLS handshake.
    const keyFile = join(tmpdir(), `kc-sec-key-${process.pid}.pem`);
    const encrypted = createPrivateKey(kafka.tls.key).export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: KEY_PASSWORD,
    });
    writeFileSync(keyFile, encrypted);
    onTestFinished(() => rmSync(keyFile, { force: true }));
    // No KAFKA_SSL=true: the certificate and key files imply TLS.
    const env = loadOptionsFromEnv({
      KAFKA_BROKERS: kafka.mtlsBrokers.join(','),
      KAFKA_GROUP_ID: groupId,
      KAFKA_TOPICS: topic,
      KAFKA_SSL_CA_FILE: kafka.pki.ca,
      KAFKA_SSL_CERT_FILE: kafka.pki.clientCert,
      KAFKA_SSL_KEY_FILE: keyFile,
      KAFKA_SSL_KEY_PASSWORD: KEY_PASSWORD,
    });
    expect(env.ssl).toMatchObject({ ca: [kafka.tls.ca], cert: kafka.tls.cert, key: encrypted });
    const { c, seen, lines } = start({ ...env, fromBeginning: true }, groupId);
    await c.run();
    await waitFor(() => seen.length === 5, { timeoutMs: 20_000, message: 'all 5 consumed' });
    expect(lines.join('\n')).not.toContain(KEY_PASSWORD);
  });

  const failures: Array<[string, () => Partial<ConsumerOptions>, string, RegExp, () => string | undefined]> =
    [
      [
        'a wrong password',
        () => ({ sasl: scram('alice', 'WRONG-pw-123') }),
        'AUTHENTICATION_FAILED',
        /SASL authentication failed for user "alice" \(SCRAM-SHA-512\)/,
        () => undefined,
      ],
      [
        'an unknown user',
        () => ({ sasl: scram('mallory', 'mallory-Secret-4') }),
        'AUTHENTICATION_FAILED',
        /SASL authentication failed for user "mallory"/,
        () => undefined,
      ],
      [
        'a plaintext client on the TLS port',
        () => ({ brokers: kafka.saslSslBrokers, sasl: scram('alice', PASSWORDS.alice) }),
        'TLS_FAILED',
        /closed the connection on the first request: this listener probably expects TLS/,
        () => undefined,
      ],
      [
        'a server certificate from an unknown CA',
        () => ({
          brokers: kafka.saslSslBrokers,
          ssl: { ca: [kafka.tls.otherCa] },
          sasl: scram('alice', PASSWORDS.alice),
        }),
        'TLS_FAILED',
        /the broker's certificate is not trusted \(self-signed certificate/,
        () => undefined,
      ],
      [
        'a principal without READ on the topic',
        () => ({ sasl: scram('carol', PASSWORDS.carol) }),
        'AUTHORIZATION_FAILED',
        /Not authorized to read topic .* as User:carol: the principal needs READ and DESCRIBE on TOPIC/,
        () => group,
      ],
      [
        'a principal without access to the group',
        () => ({ sasl: scram('bob', PASSWORDS.bob) }),
        'AUTHORIZATION_FAILED',
        /Not authorized to use consumer group "kc-sec-nogroup-.*" as User:bob: the principal needs READ on GROUP/,
        () => uniqueName('kc-sec-nogroup'),
      ],
    ];

  it.each(
    failures,
  )('fails at run() within 30 s with one clear error for %s', async (_name, options, code, message, groupId) => {
    const { c, lines } = start(options(), groupId());
    const began = Date.now();
    const error = await c.run().then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    const tookMs = Date.now() - began;
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
    expect(tookMs).toBeLessThan(30_000);
    // health() names the problem; nothing restarts behind it.
    expect(c.health().status).toBe('unhealthy');
    expect(c.health().problems.join('\n')).toMatch(message);
    const before = lines.length;
    await expect.poll(() => lines.filter((l) => /restart/i.test(l)).length, { timeout: 3000 }).toBe(0);
    expect(lines.length - before).toBeLessThanOrEqual(1);
    // No retry storm: each distinct failure logged once above debug, and no secret anywhere (debug included).
    const shown = lines.filter((l) => !l.startsWith('debug'));
    expect(shown.length).toBeLessThanOrEqual(6);
    for (const secret of SECRETS) expect(lines.join('\n')).not.toContain(secret);
    console.info(
      `[security] ${_name}: ${error?.code} after ${tookMs} ms, ${shown.length} log lines above debug: ${error?.message}`,
    );
  });
});
