import { type ChildProcess, spawn } from 'node:child_process';
import {
  createTopic,
  produceMessages,
  readCommittedOffsets,
  type SecureKafkaHandle,
  startSecureKafka,
  uniqueName,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'svc-Secret-7f3a';
const WRONG_PASSWORD = 'WRONG-svc-pw-91c2';

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `node dist/main.js` in the deployed folder with only PATH and `env`: nothing else leaks in. */
function runService(app: string, env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: app,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', HEALTH_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** stderr's JSON log records (pino field names). */
function records(stderr: string): Array<{ level: number; msg: string; err?: Record<string, unknown> }> {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/**
 * The deployed service (its handler holds each message until SIGTERM: "started <offset>", then
 * "finished <offset>") against a broker with SCRAM-SHA-512 over TLS, mutual TLS and ACLs, configured
 * by its KAFKA_SSL_* / KAFKA_SASL_* variables alone. `deployed()` is the folder the deploy test wrote.
 */
export function describeSecuredCluster(deployed: () => string): void {
  describe('the deployed service on a secured cluster, configured by its environment', () => {
    let kafka: SecureKafkaHandle;
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      kafka = await startSecureKafka({ users: { svc: PASSWORD } });
    }, 120_000);

    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      await kafka?.stop();
    }, 60_000);

    /** A topic with one message, its DLQ provisioned (the principals may not create topics), and ACLs. */
    async function provision(principal: string) {
      const topic = uniqueName('e2e-secure');
      const groupId = uniqueName('e2e-secure-group');
      await createTopic(kafka.adminBrokers, topic);
      await createTopic(kafka.adminBrokers, `${topic}.dlq`);
      await produceMessages(kafka.adminBrokers, topic, [{ key: 'k', value: JSON.stringify({ id: 's-1' }) }]);
      await kafka.allow(principal, 'topic', topic, ['READ', 'DESCRIBE']);
      await kafka.allow(principal, 'topic', `${topic}.dlq`, ['WRITE', 'DESCRIBE']);
      await kafka.allow(principal, 'group', groupId, ['READ']);
      return {
        topic,
        groupId,
        base: { KAFKA_TOPICS: topic, KAFKA_GROUP_ID: groupId, KAFKA_FROM_BEGINNING: 'true' },
      };
    }

    const scramOverTls = (password: string) => ({
      KAFKA_BROKERS: kafka.saslSslBrokers.join(','),
      KAFKA_SSL_CA_FILE: kafka.pki.ca,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: password,
    });

    it.each([
      ['SCRAM-SHA-512 over TLS (KAFKA_SSL_CA_FILE, KAFKA_SASL_*)', 'User:svc', () => scramOverTls(PASSWORD)],
      [
        'mutual TLS (KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE)',
        'User:mtls-client',
        () => ({
          KAFKA_BROKERS: kafka.mtlsBrokers.join(','),
          KAFKA_SSL_CA_FILE: kafka.pki.ca,
          KAFKA_SSL_CERT_FILE: kafka.pki.clientCert,
          KAFKA_SSL_KEY_FILE: kafka.pki.clientKey,
        }),
      ],
    ])('consumes over %s, drains on SIGTERM and commits', async (_name, principal, security) => {
      const { topic, groupId, base } = await provision(principal);
      const run = runService(deployed(), { ...base, ...security() });
      children.push(run.child);
      await waitFor(() => run.stdout().includes('started 0'), {
        timeoutMs: 45_000,
        message: `the service never handled the message\n${run.stderr()}`,
      });
      run.child.kill('SIGTERM');
      const code = await run.exited;
      expect({ code, stderr: code === 0 ? '' : run.stderr() }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout()).toContain('finished 0');
      expect(await readCommittedOffsets(kafka.adminBrokers, groupId, topic)).toEqual({ 0: '1' });
      expect(`${run.stdout()}${run.stderr()}`).not.toContain(PASSWORD);
    });

    it('with a wrong password exits 1 within 30 s, one error line naming the user, no secret', async () => {
      const { base } = await provision('User:svc');
      const began = Date.now();
      const run = runService(deployed(), { ...base, ...scramOverTls(WRONG_PASSWORD) });
      children.push(run.child);
      const code = await Promise.race([
        run.exited,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000).unref()),
      ]);
      const tookMs = Date.now() - began;
      expect(code, run.stderr()).toBe(1);
      const errors = records(run.stderr()).filter((record) => record.level >= 50);
      expect(errors, run.stderr()).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        msg: 'service failed to start',
        err: {
          code: 'AUTHENTICATION_FAILED',
          message: expect.stringMatching(/^SASL authentication failed for user "svc" \(SCRAM-SHA-512\)/),
        },
      });
      expect(tookMs).toBeLessThan(30_000);
      // No retry storm: a handful of lines in all (KafkaJS's two SASL warnings among them).
      expect(records(run.stderr()).length, run.stderr()).toBeLessThanOrEqual(8);
      const output = `${run.stdout()}${run.stderr()}`;
      expect(output).not.toContain(WRONG_PASSWORD);
      expect(output).not.toContain(PASSWORD);
      const line =
        run
          .stderr()
          .split('\n')
          .find((l) => l.includes('"level":50')) ?? '';
      process.stdout.write(
        `[e2e] wrong password: exit ${code} after ${tookMs} ms, ${records(run.stderr()).length} log line(s); error line: ${line}\n`,
      );
    });
  });
}
