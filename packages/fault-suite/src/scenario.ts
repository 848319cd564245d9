import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alterGroupConfig, createTopic, deleteTopics, uniqueName } from '@kafkakit/kafka-testkit';
import { check, type Metrics } from './checker.js';
import type { ChildConfig } from './child/config.js';
import { type ConsumerChild, spawnConsumer } from './child/spawn.js';
import { readLedger } from './ledger.js';
import { baseCriteria, type Criterion, type ScenarioResult, shareCriteria } from './result.js';
import { type OffsetSampler, startOffsetSampler } from './sampler.js';
import {
  type AckedMessage,
  type CommitSample,
  type CommitStrategy,
  DEFAULT_ORDERINGS,
  type DeadLetterRecord,
  type GroupType,
  type LedgerEntry,
  type Ordering,
} from './types.js';

/** Handler calls in flight for the key / unordered runs (and share groups). */
const KEYED_CONCURRENCY = 8;

/**
 * The acquisition lock of the suite's share groups (`share.record.lock.duration.ms`, default 30 s):
 * shorter, so a record a member held when it died comes back within the run even if the broker did
 * not release it with the connection; far above every handler's time.
 */
export const SHARE_LOCK_MS = 10_000;

/** What a scenario hands back for checking: the producer's acks, the DLQ, samples and its own criteria. */
export interface Evidence {
  acked: readonly AckedMessage[];
  dlq?: readonly DeadLetterRecord[];
  samples?: readonly CommitSample[];
  criteria: Criterion[];
  /** Criteria on the checker's metrics (e.g. duplicates bounds), judged after the run. */
  judge?: (metrics: Metrics) => Criterion[];
  /** A measurement for the table's notes column (e.g. the time until processing resumed). */
  notes?: string;
}

export interface ScenarioDefinition {
  id: number;
  title: string;
  /** Commit strategies this scenario runs under (all three where the strategy matters). */
  strategies: readonly CommitStrategy[];
  /** Orderings it runs under. @default DEFAULT_ORDERINGS ('partition' and 'key') */
  orderings?: readonly Ordering[];
  /** Runs under `--group-type share` too (once: a share group has no strategy or ordering). */
  share?: boolean;
  run(ctx: RunContext): Promise<Evidence>;
  /** A broker of its own (scenario 10 stops it); runs get its addresses instead of the suite's. */
  setup?(): Promise<{ brokers: string[]; teardown(): Promise<void> }>;
}

/** Per-run helpers: unique names, children, the ledger, the sampler; everything is cleaned up after. */
export class RunContext {
  readonly groupId = uniqueName('fault-group');
  readonly ledgerPath: string;
  readonly #topics: string[] = [];
  readonly #children: ConsumerChild[] = [];
  readonly #samplers: OffsetSampler[] = [];
  #childCount = 0;

  constructor(
    readonly brokers: string[],
    readonly strategy: CommitStrategy,
    readonly workDir: string,
    readonly ordering: Ordering = 'partition',
    readonly groupType: GroupType = 'consumer',
  ) {
    this.ledgerPath = join(workDir, 'ledger.jsonl');
  }

  /** Process ids of the children that did not exit cleanly (SIGKILLed, crashed): members that died. */
  diedPids(): Set<number> {
    return new Set(
      this.#children.filter((c) => c.exitInfo !== undefined && c.exitInfo.code !== 0).map((c) => c.pid),
    );
  }

  /** Creates a topic for this run (deleted afterwards). */
  async topic(prefix: string, partitions: number, config: Record<string, string> = {}): Promise<string> {
    const name = uniqueName(prefix);
    await createTopic(this.brokers, name, partitions, config);
    this.#topics.push(name);
    return name;
  }

  /** Registers a topic created by someone else (the runtime's DLQ) for deletion. */
  owns(topic: string): void {
    this.#topics.push(topic);
  }

  /** The child config every scenario starts from; `overrides` replace fields. */
  childConfig(topic: string, overrides: Partial<ChildConfig> = {}): ChildConfig {
    return {
      brokers: this.brokers,
      groupId: this.groupId,
      topic,
      groupType: this.groupType,
      commit: this.strategy,
      ordering: this.ordering,
      concurrency: this.ordering === 'partition' && this.groupType === 'consumer' ? 1 : KEYED_CONCURRENCY,
      intervalMs: 1000,
      ledgerPath: this.ledgerPath,
      codec: 'json',
      retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 50 },
      deadLetter: { topic: `${topic}.dlq` },
      drainTimeoutMs: 5000,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1000,
      behaviour: {},
      // FAULT_MAX_BUFFERED=16: a small buffer, so under 'key' ordering lanes let messages go and
      // read them again (the hot-key path) in every scenario that does not set its own.
      ...(process.env.FAULT_MAX_BUFFERED
        ? { maxBufferedPerPartition: Number(process.env.FAULT_MAX_BUFFERED) }
        : {}),
      ...overrides,
    };
  }

  /** Starts a consumer child (killed with SIGKILL at cleanup if still running). */
  child(config: ChildConfig): ConsumerChild {
    this.#childCount++;
    const child = spawnConsumer(config, join(this.workDir, `child-${this.#childCount}.log`));
    this.#children.push(child);
    return child;
  }

  async sampler(topic: string, groupId = this.groupId): Promise<OffsetSampler> {
    // A share group commits no offsets: nothing to sample (its progress is acknowledgements).
    if (this.groupType === 'share') return { samples: [], failures: 0, stop: async () => [] };
    const sampler = await startOffsetSampler(this.brokers, groupId, topic);
    this.#samplers.push(sampler);
    return sampler;
  }

  ledger(): LedgerEntry[] {
    return readLedger(this.ledgerPath);
  }

  /** Distinct ids completed so far (a cheap progress probe for waitFor). */
  completedIds(): Set<string> {
    const done = new Set<string>();
    for (const e of this.ledger()) if (e.ev === 'done') done.add(e.id);
    return done;
  }

  async cleanup(): Promise<void> {
    for (const child of this.#children) if (child.isRunning()) child.signal('SIGKILL');
    await Promise.all(this.#children.map((c) => c.exited));
    await Promise.all(this.#samplers.map((s) => s.stop()));
    if (this.#topics.length > 0) await deleteTopics(this.brokers, this.#topics);
  }
}

/** The orderings a scenario runs under. */
export const orderingsOf = (def: ScenarioDefinition): readonly Ordering[] =>
  def.orderings ?? DEFAULT_ORDERINGS;

/** Runs one scenario under one strategy and one ordering and checks its evidence; never throws. */
export async function runScenario(
  def: ScenarioDefinition,
  strategy: CommitStrategy,
  brokers: string[],
  ordering: Ordering = 'partition',
  baseDir = join(tmpdir(), 'kafkakit-faults'),
  groupType: GroupType = 'consumer',
): Promise<ScenarioResult> {
  const label = groupType === 'share' ? 'share' : `${strategy}-${ordering}`;
  const workDir = join(baseDir, `${def.id}-${label}-${uniqueName('run')}`);
  mkdirSync(workDir, { recursive: true });
  const started = Date.now();
  let evidence: Evidence = { acked: [], criteria: [] };
  let error: string | undefined;
  const fail = (what: string) => (failure: unknown) => {
    error ??= `${what}${failure instanceof Error ? failure.message : String(failure)} (work dir ${workDir})`;
  };
  const own = def.setup === undefined ? undefined : await def.setup().catch(fail('broker setup: '));
  const ctx = new RunContext(own?.brokers ?? brokers, strategy, workDir, ordering, groupType);
  if (error === undefined) {
    try {
      if (groupType === 'share')
        await alterGroupConfig(ctx.brokers, ctx.groupId, {
          'share.auto.offset.reset': 'earliest',
          'share.record.lock.duration.ms': String(SHARE_LOCK_MS),
        });
      evidence = await def.run(ctx);
    } catch (failure) {
      fail('')(failure);
    } finally {
      await ctx.cleanup().catch(fail('cleanup: '));
      await own?.teardown().catch(fail('broker teardown: '));
    }
  }
  // Kept with the ledger and the child logs: what a regression or a stall is read from afterwards.
  writeFileSync(
    join(workDir, 'samples.jsonl'),
    (evidence.samples ?? []).map((x) => JSON.stringify(x)).join('\n'),
  );
  const metrics = check({
    acked: evidence.acked,
    ledger: ctx.ledger(),
    dlq: evidence.dlq ?? [],
    samples: evidence.samples ?? [],
    ordering,
    ...(groupType === 'share' ? { share: { diedPids: ctx.diedPids() } } : {}),
  });
  return {
    id: def.id,
    title: def.title,
    strategy,
    ordering,
    groupType,
    metrics,
    criteria: [
      ...baseCriteria(metrics),
      ...evidence.criteria,
      ...(evidence.judge?.(metrics) ?? []),
      ...(groupType === 'share' ? shareCriteria(metrics) : []),
    ],
    durationMs: Date.now() - started,
    ...(evidence.notes === undefined ? {} : { notes: evidence.notes }),
    ...(error === undefined ? {} : { error }),
  };
}
