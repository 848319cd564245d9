import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from 'kafkajs';
import { ClientError } from '../errors.js';
import type { Command } from './args.js';
import type { CliContext } from './context.js';
import { openTopic } from './dlq-topic.js';
import { createProducer, groupOffsets, groupState, type PartitionOffsets } from './kafka.js';
import { Pacer } from './pacer.js';
import { Progress } from './progress.js';
import { type OffsetRange, readRanges, SESSION_TIMEOUT_MS } from './read-range.js';
import { decodeIntent, findWritten, type InDoubt } from './redrive-intent.js';
import { progressGroup, refusedTarget } from './redrive-selection.js';
import { RedriveSession } from './redrive-session.js';
import { emptyCounts, renderSummary, skipped } from './redrive-summary.js';
import { Targets } from './redrive-targets.js';
import { CLI_EXIT, UsageError } from './usage-error.js';

type Redrive = Extract<Command, { kind: 'redrive' }>;

/** Records per chunk (one write-ahead note and one progress commit each). */
const CHUNK = 100;

export async function redrive(cmd: Redrive, ctx: CliContext): Promise<number> {
  const { admin } = ctx;
  const partitions = await openTopic(admin, cmd.topic, 'dead-letter topic');
  if (cmd.selection.to !== undefined) {
    const refused = refusedTarget(cmd.selection.to, cmd.topic);
    if (refused !== undefined) throw new UsageError(`--to refused: ${refused}`);
    await openTopic(admin, cmd.selection.to, '--to topic');
  }
  const group = cmd.group ?? progressGroup(cmd.topic, cmd.selection);
  await untilGroupIdle(ctx, group);
  const { ranges, inDoubt } = await plan(ctx, cmd.topic, group, partitions);
  const written =
    inDoubt.size > 0
      ? await findWritten(ctx.kafka, admin, cmd.topic, [...inDoubt.values()])
      : new Set<string>();
  const total = ranges.reduce((n, r) => n + Number(r.to - r.from), 0);
  const counts = emptyCounts();
  const progress = new Progress(
    total,
    ctx.err,
    cmd.dryRun ? 'redrive (dry run)' : 'redrive',
    cmd.dryRun ? 'to write' : 'written',
  );
  let producer: Producer | undefined;
  try {
    if (!cmd.dryRun && total > 0) {
      producer = createProducer(ctx.kafka);
      await producer.connect();
    }
    const session = new RedriveSession({
      dlqTopic: cmd.topic,
      selection: cmd.selection,
      maxRedrives: cmd.maxRedrives,
      limit: cmd.limit,
      producer,
      targets: new Targets(admin),
      written,
      inDoubt,
      pacer: new Pacer(cmd.rate),
      progress,
      counts,
      signal: ctx.signal,
      out: ctx.out,
      // At most 100 groups a second under --rate (a timer tick each); the whole chunk without one.
      groupSize: cmd.rate === undefined ? CHUNK : Math.max(1, Math.ceil(cmd.rate / 100)),
      chunkSize: cmd.rate === undefined ? CHUNK : Math.max(1, Math.min(CHUNK, Math.floor(cmd.rate / 4))),
    });
    // A dry run reads like inspect (a throwaway group); a real run reads as the progress group.
    await readRanges(
      ctx.kafka,
      cmd.topic,
      ranges,
      (batch) => session.handle(batch),
      cmd.dryRun ? {} : { groupId: group },
    );
    progress.stop();
    ctx.out.write(
      renderSummary(
        counts,
        {
          dlqTopic: cmd.topic,
          group,
          dryRun: cmd.dryRun,
          seconds: session.writeSeconds(),
          interrupted: ctx.signal.aborted,
          limitReached: session.limitReached,
        },
        cmd.maxRedrives,
      ),
    );
  } finally {
    progress.stop();
    await producer?.disconnect().catch(() => undefined);
  }
  if (ctx.signal.aborted) return CLI_EXIT.error;
  return skipped(counts) > 0 ? CLI_EXIT.skipped : CLI_EXIT.done;
}

/**
 * A run killed by SIGKILL stays a member of the progress group until its session times out
 * (SESSION_TIMEOUT_MS); a live run keeps heartbeating. So wait that long, then refuse: two runs of
 * one selection never write side by side.
 */
async function untilGroupIdle(ctx: CliContext, group: string): Promise<void> {
  const deadline = performance.now() + SESSION_TIMEOUT_MS + 4000;
  let told = false;
  for (;;) {
    const state = await groupState(ctx.admin, group);
    if (state === 'Empty' || state === 'Dead') return;
    if (performance.now() > deadline || ctx.signal.aborted)
      throw new ClientError(
        `another redrive of this selection is running: progress group ${group} is ${state}`,
      );
    if (!told)
      ctx.err.write(
        `kafkakit: progress group ${group} is ${state}: waiting up to ${(SESSION_TIMEOUT_MS + 4000) / 1000} s for a stopped run's membership to expire\n`,
      );
    told = true;
    await sleep(500);
  }
}

/** Where each DLQ partition resumes (its committed offset, else the earliest) up to today's end. */
async function plan(
  ctx: CliContext,
  topic: string,
  group: string,
  partitions: PartitionOffsets[],
): Promise<{ ranges: OffsetRange[]; inDoubt: Map<number, InDoubt> }> {
  const committed = new Map((await groupOffsets(ctx.admin, group, topic)).map((c) => [c.partition, c]));
  const inDoubt = new Map<number, InDoubt>();
  const ranges = partitions.map((p) => {
    const c = committed.get(p.partition);
    const from = c === undefined || c.offset < p.low ? p.low : c.offset;
    const intent = decodeIntent(c?.metadata ?? null);
    if (intent !== undefined) inDoubt.set(p.partition, { partition: p.partition, from, intent });
    return { partition: p.partition, from, to: p.high };
  });
  return { ranges, inDoubt };
}
