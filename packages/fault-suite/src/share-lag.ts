import { runKafkaTool } from '@kafkakit/kafka-testkit';

/**
 * A share group's lag per partition of `topic`, read with Kafka's own `kafka-share-groups.sh
 * --describe --offsets` (ShareGroupCommand, DescribeShareGroupOffsets): records between the
 * share-partition start offset and the log end, i.e. not yet acknowledged. Partition -> lag.
 */
export async function readShareLag(
  brokers: readonly string[],
  groupId: string,
  topic: string,
): Promise<{ lag: Record<number, number>; output: string }> {
  const result = await runKafkaTool('org.apache.kafka.tools.consumer.group.ShareGroupCommand', [
    '--bootstrap-server',
    brokers.join(','),
    '--describe',
    '--group',
    groupId,
    '--offsets',
  ]);
  const output = `${result.stdout}${result.stderr}`;
  if (result.code !== 0) throw new Error(`kafka-share-groups --describe exited ${result.code}: ${output}`);
  const lines = result.stdout.split('\n').filter((l) => l.trim() !== '');
  const header = (lines.find((l) => /\bLAG\b/.test(l)) ?? '').trim().split(/\s+/);
  const [topicAt, partitionAt, lagAt] = ['TOPIC', 'PARTITION', 'LAG'].map((c) => header.indexOf(c));
  const lag: Record<number, number> = {};
  for (const line of lines) {
    const cells = line.trim().split(/\s+/);
    if (cells[topicAt ?? -1] !== topic) continue;
    lag[Number(cells[partitionAt ?? -1])] = Number(cells[lagAt ?? -1]);
  }
  return { lag, output };
}
