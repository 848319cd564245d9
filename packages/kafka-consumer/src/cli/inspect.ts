import type { Command } from './args.js';
import { assertDeadLetter, type CliContext } from './context.js';
import { openTopic } from './dlq-topic.js';
import { type InspectReport, InspectTotals } from './inspect-totals.js';
import { eachRecord, readRanges } from './read-range.js';
import { renderTable } from './table.js';
import { CLI_EXIT } from './usage-error.js';

export async function inspect(cmd: Extract<Command, { kind: 'inspect' }>, ctx: CliContext): Promise<number> {
  const partitions = await openTopic(ctx.admin, cmd.topic, 'dead-letter topic');
  const totals = new InspectTotals(cmd.topic);
  let first = true;
  await readRanges(
    ctx.kafka,
    cmd.topic,
    partitions.map((p) => ({ partition: p.partition, from: p.low, to: p.high })),
    eachRecord((record) => {
      if (first) assertDeadLetter(cmd.topic, record);
      first = false;
      totals.add(record);
      return !ctx.signal.aborted;
    }),
  );
  const report = totals.report();
  ctx.out.write(cmd.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return ctx.signal.aborted ? CLI_EXIT.error : CLI_EXIT.done;
}

function renderReport(r: InspectReport): string {
  if (r.records === 0) return `${r.topic}: no records\n`;
  const table = renderTable;
  return [
    `${r.topic}: ${r.records} dead letters, failed from ${r.firstFailure} to ${r.lastFailure}`,
    '',
    'By source topic',
    table(
      ['source topic', 'records', 'first failure', 'last failure'],
      r.bySourceTopic.map((s) => [s.sourceTopic, s.count, s.firstFailure, s.lastFailure]),
    ),
    'By error',
    table(
      ['error name', 'code', 'records', 'first failure', 'last failure'],
      r.byError.map((e) => [e.errorName, e.errorCode ?? '-', e.count, e.firstFailure, e.lastFailure]),
    ),
    'By DLQ partition',
    table(
      ['partition', 'records', 'offsets', 'first failure', 'last failure'],
      r.byPartition.map((p) => [
        p.partition,
        p.count,
        `${p.firstOffset}..${p.lastOffset}`,
        p.firstFailure,
        p.lastFailure,
      ]),
    ),
    '',
  ].join('\n');
}
