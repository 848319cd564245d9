import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningKafkaTool, runKafkaTool, startKafkaTool } from '@kafkakit/kafka-testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ShareRecord } from '../../../src/share/index.js';
import {
  brokers,
  earliestGroup,
  fetchUntil,
  fetchValues,
  produceBatches,
  session,
  topic,
  values,
} from './support.js';

const SHARE_GROUPS = 'org.apache.kafka.tools.consumer.group.ShareGroupCommand';
const CONSOLE_SHARE_CONSUMER = 'org.apache.kafka.tools.consumer.ConsoleShareConsumer';
const CONSOLE_PRODUCER = 'org.apache.kafka.tools.ConsoleProducer';

const tools: RunningKafkaTool[] = [];
afterEach(async () => {
  await Promise.all(tools.splice(0).map((t) => t.stop()));
});

/** `kafka-share-groups.sh --describe <flags>` output (exit code checked). */
async function describeGroup(groupId: string, ...flags: string[]): Promise<string> {
  const result = await runKafkaTool(SHARE_GROUPS, [
    '--bootstrap-server',
    brokers().join(','),
    '--describe',
    '--group',
    groupId,
    ...flags,
  ]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

describe("share groups: interop with Kafka's own tools", () => {
  it("reads what Kafka's console producer wrote", async () => {
    const name = await topic('kc-share-console-producer');
    const groupId = await earliestGroup();
    const lines = Array.from({ length: 20 }, (_, i) => `console-${i}`);
    const produced = await runKafkaTool(
      CONSOLE_PRODUCER,
      ['--bootstrap-server', brokers().join(','), '--topic', name],
      {
        input: `${lines.join('\n')}\n`,
      },
    );
    expect(produced.code, produced.stderr).toBe(0);
    const s = await session({ groupId, topics: [name] });
    const got = await fetchValues(s, lines);
    await s.acknowledge(got, 'accept');
    expect(values(got)).toEqual(lines);
  });

  it("Kafka's console share consumer reads beside ours in one group, and kafka-share-groups --describe lists both", async () => {
    const name = await topic('kc-share-console');
    const groupId = await earliestGroup();
    const ours = await session({
      groupId,
      topics: [name],
      clientId: 'kafkakit-share',
      maxRecords: 5,
      batchSize: 5,
    });
    const console = startKafkaTool(CONSOLE_SHARE_CONSUMER, [
      '--bootstrap-server',
      brokers().join(','),
      '--topic',
      name,
      '--group',
      groupId,
      // Small fetches, as ours: otherwise whoever fetches first may take all 200 records.
      '--command-property',
      'max.poll.records=5',
    ]);
    tools.push(console);
    // Both are members with an assignment before anything is produced.
    await vi.waitFor(
      async () => {
        const members = await describeGroup(groupId, '--members');
        expect(members).toContain(ours.memberId);
        expect(members.split('\n').filter((l) => l.includes(groupId))).toHaveLength(2);
      },
      { timeout: 30_000, interval: 500 },
    );
    const sent = await produceBatches(name, 40, 5);
    const mine: ShareRecord[] = [];
    const consoleValues = () =>
      console
        .stdout()
        .split('\n')
        .filter((l) => l.length > 0);
    await fetchUntil(
      ours,
      () => new Set([...values(mine), ...consoleValues()]).size >= sent.length,
      async (records) => {
        mine.push(...records);
        await new Promise((resolve) => setTimeout(resolve, 20)); // a 20 ms handler per batch
        await ours.acknowledge(records, 'accept');
      },
    );
    const theirs = consoleValues();
    expect(mine.length).toBeGreaterThan(0);
    expect(theirs.length).toBeGreaterThan(0);
    expect([...values(mine), ...theirs].sort()).toEqual([...sent].sort());
    const members = await describeGroup(groupId, '--members');
    const state = await describeGroup(groupId, '--state');
    const offsets = await describeGroup(groupId);
    expect(members).toContain(ours.memberId);
    expect(members).toContain('kafkakit-share');
    const report = [
      `ours: ${mine.length} records, Kafka's console share consumer: ${theirs.length} of ${sent.length}`,
      `$ kafka-share-groups --describe --group ${groupId} --members`,
      members,
      `$ kafka-share-groups --describe --group ${groupId} --state`,
      state,
      `$ kafka-share-groups --describe --group ${groupId}`,
      offsets,
    ].join('\n');
    writeFileSync(join(tmpdir(), 'kafkakit-share-describe.txt'), report);
    process.stdout.write(`${report}\n`);
  });
});
