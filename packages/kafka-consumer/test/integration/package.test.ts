import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  copyWorkspace,
  produceMessages,
  readCommittedOffsets,
  uniqueName,
  type WorkspaceCopy,
} from '@kafkakit/kafka-testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDeadLetterHeaders, NonRetryableError } from '../../src/index.js';
import { brokers, topic } from './support.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A plain JavaScript consumer, as a user outside the workspace would write it against the tarball. */
const CONSUMER_JS = `
import { createConsumer } from '@kafkakit/kafka-consumer';
import { topicProblem } from '@kafkakit/kafka-consumer/naming';

if (topicProblem(process.env.TOPIC) !== undefined) throw new Error('bad topic');
const want = Number(process.env.COUNT);
const seen = [];
const consumer = createConsumer({
  brokers: process.env.BROKERS.split(','),
  groupId: process.env.GROUP_ID,
  topics: [process.env.TOPIC],
  fromBeginning: true,
  shutdown: { signals: [] },
  handler: async ({ message }) => {
    seen.push(message.value.toString());
  },
});
await consumer.run();
const deadline = Date.now() + 45_000;
while (seen.length < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
await consumer.disconnect();
process.stdout.write(JSON.stringify({ seen }) + '\\n');
`;

let workspace: WorkspaceCopy | undefined;
const temp: string[] = [];
afterAll(() => {
  workspace?.remove();
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe('the packed runtime', () => {
  it(
    'installs with npm into a plain JavaScript project outside the workspace, consumes from the broker, and its kafkakit bin runs with npx',
    {
      timeout: 240_000,
    },
    async () => {
      // Packing builds dist/ (prepack): in a copy, so this checkout is never written to.
      workspace = copyWorkspace(repoRoot);
      const packDir = mkdtempSync(join(tmpdir(), 'kafkakit-pack-'));
      const project = mkdtempSync(join(tmpdir(), 'kafkakit-plain-js-'));
      temp.push(packDir, project);
      await run('pnpm', ['--filter', '@kafkakit/kafka-consumer', 'pack', '--pack-destination', packDir], {
        cwd: workspace.root,
      });
      const [tarball] = readdirSync(packDir).filter((file) => file.endsWith('.tgz'));
      expect(tarball).toBeDefined();

      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'plain', private: true, type: 'module' }),
      );
      writeFileSync(join(project, 'consume.js'), CONSUMER_JS);
      await run(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, String(tarball))],
        {
          cwd: project,
        },
      );
      const installed = join(project, 'node_modules/@kafkakit/kafka-consumer');
      for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/index.js.map', 'dist/naming.js']) {
        expect(existsSync(join(installed, file)), file).toBe(true);
      }

      const source = await topic('kc-packed');
      await produceMessages(brokers(), source, 3);
      const groupId = uniqueName('kc-packed-group');
      const { stdout } = await run(process.execPath, ['consume.js'], {
        cwd: project,
        env: {
          PATH: process.env.PATH,
          BROKERS: brokers().join(','),
          TOPIC: source,
          GROUP_ID: groupId,
          COUNT: '3',
        },
      });
      expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toEqual({ seen: ['m0', 'm1', 'm2'] });
      expect(await readCommittedOffsets(brokers(), groupId, source)).toEqual({ 0: '3' });

      // Its bin: `npx kafkakit` works in the dependent project, configured by KAFKA_BROKERS.
      const dlq = await topic('kc-packed-dlq');
      await produceMessages(brokers(), dlq, [
        {
          key: 'k',
          value: 'v',
          headers: buildDeadLetterHeaders(undefined, {
            topic: source,
            partition: 0,
            offset: '0',
            timestamp: '0',
            groupId,
            error: new NonRetryableError('bad'),
            attempts: 1,
            failedAt: new Date('2026-12-04T12:00:00Z'),
          }) as Record<string, string>,
        },
      ]);
      const inspected = await run('npx', ['--no-install', 'kafkakit', 'dlq', 'inspect', dlq, '--json'], {
        cwd: project,
        env: { PATH: process.env.PATH, KAFKA_BROKERS: brokers().join(',') },
      });
      expect(JSON.parse(inspected.stdout)).toMatchObject({
        records: 1,
        byError: [{ errorName: 'NonRetryableError', errorCode: 'NON_RETRYABLE', count: 1 }],
      });
    },
  );
});
