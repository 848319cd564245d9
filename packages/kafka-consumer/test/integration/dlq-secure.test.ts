import {
  createTopic,
  produceMessages,
  readEndOffsets,
  type SecureKafkaHandle,
  startSecureKafka,
  uniqueName,
} from '@kafkakit/kafka-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { CLI_EXIT } from '../../src/cli/usage-error.js';
import { buildDeadLetterHeaders } from '../../src/index.js';
import { textSink } from '../unit/support/text-sink.js';

const PASSWORD = 'admin-Secret-7';

describe('kafkakit over SASL_SSL (SCRAM-SHA-512 over TLS), configured by the KAFKA_* variables', () => {
  let kafka: SecureKafkaHandle;
  let source: string;
  let dlq: string;

  beforeAll(async () => {
    kafka = await startSecureKafka({ users: { admin: PASSWORD } });
    source = uniqueName('kc-cli-sec');
    dlq = `${source}.dlq`;
    await createTopic(kafka.adminBrokers, source, 1);
    await createTopic(kafka.adminBrokers, dlq, 1);
    const error = new Error('boom');
    await produceMessages(
      kafka.adminBrokers,
      dlq,
      [0, 1, 2].map((i) => ({
        key: `k${i}`,
        value: `v${i}`,
        headers: buildDeadLetterHeaders(undefined, {
          topic: source,
          partition: 0,
          offset: String(i),
          timestamp: '0',
          groupId: 'g',
          error,
          attempts: 1,
          failedAt: new Date(),
        }) as Record<string, string>,
      })),
    );
  }, 120_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 60_000);

  const cli = async (env: Record<string, string>, ...args: string[]) => {
    const out = textSink();
    const err = textSink();
    const code = await runCli(args, {
      env: {
        KAFKA_BROKERS: kafka.saslSslBrokers.join(','),
        KAFKA_SSL_CA_FILE: kafka.pki.ca,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'admin',
        KAFKA_SASL_PASSWORD: PASSWORD,
        ...env,
      },
      out: out.stream,
      err: err.stream,
      signal: new AbortController().signal,
    });
    return { code, stdout: out.text(), stderr: err.text() };
  };

  it('inspects and redrives with the service’s own TLS and SASL settings', async () => {
    const inspected = await cli({}, 'dlq', 'inspect', dlq, '--json');
    expect(inspected.stderr).toBe('');
    expect(JSON.parse(inspected.stdout)).toMatchObject({ records: 3 });
    const redriven = await cli({}, 'dlq', 'redrive', dlq);
    expect(redriven.code).toBe(CLI_EXIT.done);
    expect(await readEndOffsets(kafka.adminBrokers, source)).toEqual({ 0: '3' });
  });

  it('a wrong password is one error line, exit 1, and the password never appears', async () => {
    const run = await cli({ KAFKA_SASL_PASSWORD: 'WRONG-pw-123' }, 'dlq', 'inspect', dlq);
    expect(run.code).toBe(CLI_EXIT.error);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^kafkakit: error: could not connect to the brokers: .*authentication failed/i,
    );
    expect(run.stderr).not.toContain('WRONG-pw-123');
    expect(run.stderr).not.toContain(PASSWORD);
  });
});
