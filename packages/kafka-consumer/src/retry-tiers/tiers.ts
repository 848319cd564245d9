import type { ClientBatch } from '../client/port.js';
import { retryTierTopicName, tierDelayName } from '../naming.js';
import type { ConsumedMessage } from '../types.js';
import { readTierHeaders, type TierOrigin, withoutTierHeaders } from './headers.js';

/** One tier as configured: its 1-based number and delay. */
export interface Tier {
  tier: number;
  delayMs: number;
  /** Its delay as topic names show it, e.g. `10s`. */
  name: string;
}

/** What the handler is told about the tier a message comes from (`ctx.retryTier`). */
export interface RetryTierInfo {
  /** The tier topic, partition and offset of the record being handled. */
  topic: string;
  partition: number;
  offset: string;
  /** 1-based number of the tier. */
  tier: number;
  delayMs: number;
  /** Epoch ms from which it was due. */
  dueAt: number;
}

/** A record read from a tier topic, seen as the message it stands for. */
export interface TierVisit {
  origin: TierOrigin;
  /** The record as its source topic had it: origin offset and timestamp, headers without x-retry-*. */
  message: ConsumedMessage;
  /** Handler calls before this one. */
  attempts: number;
  /** Delay names of the tiers gone through, this one included. */
  tiers: string;
  dueAt: number;
  info: RetryTierInfo;
  /** What the handler context reads: the origin's topic and partition, the tier batch's heartbeat. */
  view: Pick<ClientBatch, 'topic' | 'partition' | 'heartbeat'>;
}

/**
 * The consumer's retry tiers: which topics are tier topics (and of which source), what a tier
 * record stands for (read once per record), and where a failed message goes next.
 */
export class RetryTiers {
  readonly tiers: readonly Tier[];
  /** Every tier topic of every source topic. */
  readonly topics: readonly string[];
  readonly #byTopic = new Map<string, { source: string; tier: Tier }>();
  readonly #visits = new WeakMap<ConsumedMessage, TierVisit>();

  constructor(
    sources: readonly string[],
    private readonly groupId: string,
    delays: ReadonlyArray<{ delayMs: number }>,
  ) {
    this.tiers = delays.map((d, i) => ({ tier: i + 1, delayMs: d.delayMs, name: tierDelayName(d.delayMs) }));
    for (const source of sources)
      for (const tier of this.tiers)
        this.#byTopic.set(retryTierTopicName(source, groupId, tier.delayMs), { source, tier });
    this.topics = [...this.#byTopic.keys()];
  }

  isTierTopic(topic: string): boolean {
    return this.#byTopic.has(topic);
  }

  /** The tier a failed message goes to next (`from`: the visit it came from, none for a source message). */
  next(sourceTopic: string, from: TierVisit | undefined): (Tier & { topic: string }) | undefined {
    const tier = this.tiers[from === undefined ? 0 : from.info.tier];
    if (tier === undefined) return undefined;
    return { ...tier, topic: retryTierTopicName(sourceTopic, this.groupId, tier.delayMs) };
  }

  /**
   * What a record of a tier topic stands for (computed once per record). A record without the
   * runtime's headers is taken as its own origin, due at once, with no attempt made yet.
   */
  visit(batch: ClientBatch, message: ConsumedMessage): TierVisit {
    const known = this.#visits.get(message);
    if (known !== undefined) return known;
    const entry = this.#byTopic.get(batch.topic) as { source: string; tier: Tier };
    const record = readTierHeaders(message);
    const origin = record?.origin ?? {
      topic: entry.source,
      partition: batch.partition,
      offset: message.offset,
      timestamp: message.timestamp,
    };
    const dueAt = record?.dueAt ?? 0;
    const visit: TierVisit = {
      origin,
      message: {
        ...message,
        offset: origin.offset,
        timestamp: origin.timestamp,
        headers: withoutTierHeaders(message.headers),
      },
      attempts: record?.attempts ?? 0,
      tiers: record?.tiers || entry.tier.name,
      dueAt,
      info: {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        tier: entry.tier.tier,
        delayMs: entry.tier.delayMs,
        dueAt,
      },
      view: { topic: origin.topic, partition: origin.partition, heartbeat: batch.heartbeat },
    };
    this.#visits.set(message, visit);
    return visit;
  }
}
