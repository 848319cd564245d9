import { createTopic, produceMessages, testClient, uniqueName } from '@kafkakit/kafka-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonLogger, TopicMissingError } from '../../src/index.js';
import { type HealthServer, startHealthServer } from '../../src/observability/health/index.js';
import { brokers, cleanupTopic, consumer } from './support.js';

const servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function exists(name: string): Promise<boolean> {
  const admin = testClient(brokers()).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).includes(name);
  } finally {
    await admin.disconnect();
  }
}

async function readyz(port: number): Promise<{ status: number; reasons: string[] }> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  const body = (await response.json()) as { reasons: string[] };
  return { status: response.status, reasons: body.reasons };
}

describe('source topics that do not exist at start', () => {
  it('missingTopics: wait warns naming the topic, answers /readyz 503 with the reason, and consumes once it exists', async () => {
    const name = uniqueName('kc-missing-wait');
    cleanupTopic(name);
    const lines: Array<{ level: number; msg: string; missingTopics?: string[] }> = [];
    const seen: string[] = [];
    const c = consumer({
      topics: [name],
      missingTopics: 'wait',
      // A group without offsets starts at the latest offset: only the topics created during the wait
      // are read from their earliest, so the message written before the join is not skipped.
      fromBeginning: false,
      deadLetter: false,
      logger: createJsonLogger({ level: 'warn', write: (line) => void lines.push(JSON.parse(line)) }),
      handler: ({ message }) => void seen.push(String(message.value)),
    });
    const server = await startHealthServer(c, { port: 0, host: '127.0.0.1' });
    servers.push(server);
    const running = c.run();
    await expect.poll(() => c.health().missingTopics, { timeout: 15_000 }).toEqual([name]);
    expect(await exists(name)).toBe(false);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: `waiting for topic(s) to exist: ${name}`,
        missingTopics: [name],
      }),
    );
    expect(await readyz(server.port)).toEqual({
      status: 503,
      reasons: [`waiting for topic(s) to exist: ${name}`],
    });

    await createTopic(brokers(), name);
    await produceMessages(brokers(), name, [{ key: 'k', value: 'after the topic appeared' }]);
    await running;
    await expect.poll(() => seen, { timeout: 30_000 }).toEqual(['after the topic appeared']);
    expect(c.health().missingTopics).toEqual([]);
    expect(c.health().missingTopics).toEqual([]);
    expect((await readyz(server.port)).status).toBe(200);
  });

  it('missingTopics: fail rejects run() with one error naming the topic and the command that creates it', async () => {
    const name = uniqueName('kc-missing-fail');
    const c = consumer({
      topics: [name],
      missingTopics: 'fail',
      deadLetter: false,
      handler: () => undefined,
    });
    const error = await c.run().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TopicMissingError);
    expect((error as TopicMissingError).topic).toBe(name);
    expect((error as Error).message).toBe(
      `Topic(s) ${name} do not exist; create them: pnpm kafka --topics ${name} ` +
        `(or kafka-topics.sh --create --topic ${name} ...). KAFKA_MISSING_TOPICS=wait waits for them instead.`,
    );
    expect(await exists(name)).toBe(false);
    // Nor was a dead-letter topic created for it.
    expect(await exists(`${name}.dlq`)).toBe(false);
  });

  it('a disconnect while waiting ends the wait: run() rejects and nothing keeps polling', async () => {
    const name = uniqueName('kc-missing-stop');
    const c = consumer({
      topics: [name],
      missingTopics: 'wait',
      deadLetter: false,
      handler: () => undefined,
    });
    const running = c.run().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await expect.poll(() => c.health().missingTopics, { timeout: 15_000 }).toEqual([name]);
    await c.disconnect();
    expect(String(await running)).toContain(`stopped while waiting for topic(s) ${name} to exist`);
  });
});
