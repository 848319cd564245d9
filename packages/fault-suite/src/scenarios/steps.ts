import { waitFor } from '@kafkakit/kafka-testkit';
import type { ChildConfig } from '../child/config.js';
import type { ConsumerChild, ExitInfo } from '../child/spawn.js';
import { startBackgroundProducer } from '../producer.js';
import type { RunContext } from '../scenario.js';
import type { AckedMessage } from '../types.js';

/** Ids of `acked` the consumers finished so far: completed by a handler or reported dead-lettered. */
export function handledIds(ctx: RunContext, acked: readonly AckedMessage[]): Set<string> {
  const byOffset = new Map(acked.map((m) => [`${m.partition}@${m.offset}`, m.id]));
  const handled = new Set<string>();
  for (const e of ctx.ledger()) {
    if (e.ev === 'done') handled.add(e.id);
    else if (e.ev === 'dead-lettered') {
      const id = byOffset.get(`${e.p}@${e.o}`);
      if (id !== undefined) handled.add(id);
    }
  }
  return handled;
}

/** Waits until every acknowledged message was handled (completed or dead-lettered). */
export async function waitHandled(
  ctx: RunContext,
  acked: readonly AckedMessage[],
  timeoutMs: number,
): Promise<void> {
  let missing = acked.length;
  await waitFor(
    () => {
      const handled = handledIds(ctx, acked);
      missing = acked.filter((m) => !handled.has(m.id)).length;
      return missing === 0;
    },
    { timeoutMs, intervalMs: 250, message: `all ${acked.length} acknowledged messages handled` },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message} (${missing} still missing)`, { cause: error });
  });
}

/** Waits until at least `count` handler completions are in the ledger. */
export async function waitCompletions(ctx: RunContext, count: number, timeoutMs: number): Promise<void> {
  await waitFor(() => ctx.ledger().filter((e) => e.ev === 'done').length >= count, {
    timeoutMs,
    intervalMs: 50,
    message: `${count} handler completions`,
  });
}

export interface Stop {
  exit: ExitInfo;
  /** From the signal to the exit. */
  ms: number;
}

/** Sends `sig` and waits for the exit (SIGKILL after `timeoutMs` so a hung child cannot hang the suite). */
export async function stopChild(
  child: ConsumerChild,
  sig: NodeJS.Signals,
  timeoutMs = 60_000,
): Promise<Stop> {
  const sent = child.signal(sig);
  const timer = setTimeout(() => child.signal('SIGKILL'), timeoutMs);
  const exit = await child.exited;
  clearTimeout(timer);
  return { exit, ms: exit.at - sent };
}

/** The fault schedule's own clock (e.g. "every 2 s"): not a wait for a condition. */
export function scheduleDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const describeExit = (stop: Stop): string =>
  `exit code ${stop.exit.code}${stop.exit.signal ? ` signal ${stop.exit.signal}` : ''} after ${stop.ms} ms`;

/**
 * The load most group scenarios run under: a fresh topic (and its DLQ, cleaned up), a producer
 * writing `perTick` messages every 100 ms, the committed-offset sampler, and the consumer config
 * with a handler taking `delayMs`.
 */
export async function startLoad(
  ctx: RunContext,
  prefix: string,
  load: { partitions: number; perTick: number; delayMs: number },
) {
  const topic = await ctx.topic(prefix, load.partitions);
  ctx.owns(`${topic}.dlq`);
  const producer = await startBackgroundProducer(ctx.brokers, topic, {
    partitions: load.partitions,
    perTick: load.perTick,
    tickMs: 100,
  });
  const sampler = await ctx.sampler(topic);
  const config: ChildConfig = ctx.childConfig(topic, { behaviour: { delayMs: load.delayMs } });
  return { topic, producer, sampler, config };
}
