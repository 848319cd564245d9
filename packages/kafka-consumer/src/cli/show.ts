import type { Command } from './args.js';
import { assertDeadLetter, type CliContext } from './context.js';
import type { TopicRecord } from './dead-letter-record.js';
import { openTopic } from './dlq-topic.js';
import { eachRecord, type OffsetRange, readRanges } from './read-range.js';
import { renderBytes } from './render-bytes.js';
import { CLI_EXIT, UsageError } from './usage-error.js';

type Show = Extract<Command, { kind: 'show' }>;
const VALUE_LIMIT = 200;
const HEADER_LIMIT = 120;

export async function show(cmd: Show, ctx: CliContext): Promise<number> {
  const partitions = await openTopic(ctx.admin, cmd.topic, 'dead-letter topic');
  const ranges = rangesOf(cmd, partitions);
  const records: TopicRecord[] = [];
  let first = true;
  await readRanges(
    ctx.kafka,
    cmd.topic,
    ranges,
    eachRecord((record) => {
      if (first) assertDeadLetter(cmd.topic, record);
      first = false;
      records.push(record);
      return !ctx.signal.aborted;
    }),
  );
  records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  const shown = records.slice(0, cmd.limit);
  for (const record of shown) ctx.out.write(renderRecord(cmd.topic, record, cmd.full));
  ctx.out.write(`${shown.length} record(s) shown\n`);
  return CLI_EXIT.done;
}

/** Each partition from its start offset, at most `limit` records each (the first `limit` overall are shown). */
function rangesOf(
  cmd: Show,
  partitions: Array<{ partition: number; low: bigint; high: bigint }>,
): OffsetRange[] {
  const byPartition = cmd.offsets.filter((o) => o.partition !== undefined);
  const all = cmd.offsets.find((o) => o.partition === undefined);
  for (const o of byPartition)
    if (!partitions.some((p) => p.partition === o.partition))
      throw new UsageError(
        `--offset ${o.partition}:${o.offset}: "${cmd.topic}" has no partition ${o.partition}`,
      );
  return partitions
    .filter((p) => byPartition.length === 0 || byPartition.some((o) => o.partition === p.partition))
    .map((p) => {
      const start = byPartition.find((o) => o.partition === p.partition)?.offset ?? all?.offset ?? p.low;
      const from = start < p.low ? p.low : start;
      const to = from + BigInt(cmd.limit) < p.high ? from + BigInt(cmd.limit) : p.high;
      return { partition: p.partition, from, to };
    });
}

function renderRecord(topic: string, record: TopicRecord, full: boolean): string {
  const limit = (n: number) => (full ? undefined : n);
  const headers = Object.entries(record.headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map(
      (v) => `    ${name}: ${renderBytes(v, limit(HEADER_LIMIT))}`,
    ),
  );
  return [
    `${topic}[${record.partition}]@${record.offset}  ${new Date(Number(record.timestamp)).toISOString()}`,
    `  key:   ${renderBytes(record.key, limit(VALUE_LIMIT))}`,
    `  value: ${renderBytes(record.value, limit(VALUE_LIMIT))}`,
    `  headers (${headers.length}):`,
    ...headers,
    '',
  ].join('\n');
}
