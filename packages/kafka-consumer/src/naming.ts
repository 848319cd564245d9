/**
 * The naming rules shared by the runtime and the generator (`@kafkakit/kafka-consumer/naming`):
 * topic names, consumer group ids, broker addresses, the dead-letter topic derived from a source
 * topic, and the environment variable names. Pure, no dependencies: the generator imports this
 * subpath without loading KafkaJS.
 */

/** Kafka's own limit (kafka.common.internals.Topic): 249 characters. */
export const TOPIC_MAX_LENGTH = 249;
/** The runtime's default dead-letter topic is the source topic plus this suffix. */
export const DEAD_LETTER_SUFFIX = '.dlq';
/** The default prefix of every environment variable the runtime reads. */
export const DEFAULT_ENV_PREFIX = 'KAFKA_';

const TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;
/** A DNS label as resolvers accept it in practice: letters, digits, "-" and "_" (Docker/Kubernetes names). */
const LABEL = /^[a-zA-Z0-9_](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?$/;
const ENV_PREFIX = /^[A-Z][A-Z0-9_]*_$/;

/** Kafka's topic rules. Returns what is wrong, or undefined when the name is valid. */
export function topicProblem(topic: string): string | undefined {
  if (topic.length === 0) return 'a topic name cannot be empty';
  if (topic === '.' || topic === '..') return `topic "${topic}" is not allowed ("." and ".." are reserved)`;
  if (topic.length > TOPIC_MAX_LENGTH) {
    return `topic "${topic.slice(0, 20)}..." is ${topic.length} characters; at most ${TOPIC_MAX_LENGTH}`;
  }
  if (!TOPIC_CHARS.test(topic)) {
    return `topic ${JSON.stringify(topic)} may only contain letters, digits, ".", "_" and "-"`;
  }
  return undefined;
}

/** Consumer group ids: the same characters and length as topics (Kafka allows more; tooling does not). */
export function groupIdProblem(groupId: string): string | undefined {
  if (groupId.length === 0) return 'a consumer group id cannot be empty';
  if (groupId.length > TOPIC_MAX_LENGTH) return `the group id must be at most ${TOPIC_MAX_LENGTH} characters`;
  if (!TOPIC_CHARS.test(groupId)) return 'the group id may only contain letters, digits, ".", "_" and "-"';
  return undefined;
}

/**
 * A bootstrap address KafkaJS can connect to: `host:port` with a hostname or IPv4 address.
 * KafkaJS splits an address at its first ":", so IPv6 literals (`[::1]:9092`) cannot work: they
 * are refused with what to use instead.
 */
export function brokerProblem(broker: string): string | undefined {
  const shown = JSON.stringify(broker);
  if (broker.startsWith('[') || (broker.match(/:/g) ?? []).length > 1) {
    return (
      `broker ${shown}: IPv6 addresses are not supported by KafkaJS (it splits host:port at the first ":"); ` +
      'use a hostname that resolves to it, e.g. localhost:9092'
    );
  }
  const match = /^(.+):(\d{1,5})$/.exec(broker);
  if (!match) return `broker ${shown} must be host:port, e.g. localhost:9092`;
  const [, host = '', port = ''] = match;
  if (host.length > 253 || !host.split('.').every((label) => LABEL.test(label))) {
    return `broker ${shown} has an invalid host (letters, digits, "-", "_" and "." only), e.g. kafka-1:9092`;
  }
  const portNumber = Number(port);
  if (portNumber < 1 || portNumber > 65535) return `broker ${shown} has a port outside 1-65535`;
  return undefined;
}

/** The dead-letter topic of `source`: the configured one, else `<source>.dlq` (per source topic). */
export function deadLetterTopicName(source: string, configured?: string): string {
  return configured ?? `${source}${DEAD_LETTER_SUFFIX}`;
}

/** Upper-case letters, digits and "_", ending in "_" (e.g. `KAFKA_`, `BILLING_KAFKA_`). */
export function envPrefixProblem(prefix: string): string | undefined {
  if (ENV_PREFIX.test(prefix)) return undefined;
  return `env prefix ${JSON.stringify(prefix)} must be upper-case letters, digits and "_", ending in "_", e.g. KAFKA_`;
}

/** `KAFKA_BROKERS` -> `<prefix>BROKERS`: the variable name a prefixed environment uses. */
export function prefixedEnvName(name: string, prefix: string): string {
  return name.startsWith(DEFAULT_ENV_PREFIX) ? `${prefix}${name.slice(DEFAULT_ENV_PREFIX.length)}` : name;
}

const TIER_UNITS: ReadonlyArray<[string, number]> = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** A retry tier's delay as its topic names it: the largest whole unit (250 -> `250ms`, 300000 -> `5m`). */
export function tierDelayName(delayMs: number): string {
  for (const [unit, ms] of TIER_UNITS)
    if (delayMs >= ms && delayMs % ms === 0) return `${delayMs / ms}${unit}`;
  return `${delayMs}ms`;
}

/**
 * The retry-tier topic of `source` for one consumer group and delay: `<source>.<group>.retry.<delay>`,
 * e.g. `orders.placed.billing.retry.10s` (two groups on one topic never share a tier).
 */
export function retryTierTopicName(source: string, groupId: string, delayMs: number): string {
  return `${source}.${groupId}.retry.${tierDelayName(delayMs)}`;
}

/** True for a name of the retry-tier shape (`....retry.<n><ms|s|m|h>`): never a redrive target. */
export function isRetryTierTopic(topic: string): boolean {
  return /\.retry\.\d+(ms|s|m|h)$/.test(topic);
}

/** Shortest and longest retry-tier delay, and most tiers a consumer may have. */
export const TIER_DELAY_MIN_MS = 100;
export const TIER_DELAY_MAX_MS = 7 * 24 * 3_600_000;
export const MAX_TIERS = 10;

const DELAY_TEXT = /^(\d+)(ms|s|m|h)?$/;
const DELAY_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A retry tier's delay from its text: `250ms`, `10s`, `5m`, `1h`, or a plain number of milliseconds.
 * Returns the milliseconds, or what is wrong (a string) when the text is not a delay.
 */
export function parseDelay(text: string): number | string {
  const match = DELAY_TEXT.exec(text.trim());
  if (match === null)
    return `${JSON.stringify(text)} is not a delay; use e.g. "10s", "5m", "1h", "250ms" or milliseconds`;
  return Number(match[1]) * (DELAY_UNITS[match[2] ?? 'ms'] as number);
}

/**
 * A list of retry-tier delays as text (`10s,5m`; empty or `none` = no tiers): their milliseconds,
 * or what is wrong. Each within the bounds, strictly increasing, at most MAX_TIERS.
 */
export function parseTierDelays(text: string): number[] | string {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (parts.length === 0 || (parts.length === 1 && parts[0]?.toLowerCase() === 'none')) return [];
  if (parts.length > MAX_TIERS) return `at most ${MAX_TIERS} retry tiers, got ${parts.length}`;
  const out: number[] = [];
  for (const part of parts) {
    const ms = parseDelay(part);
    if (typeof ms === 'string') return ms;
    if (ms < TIER_DELAY_MIN_MS || ms > TIER_DELAY_MAX_MS)
      return `retry tier ${JSON.stringify(part)} must be from 100ms to 168h`;
    const before = out[out.length - 1];
    if (before !== undefined && ms <= before)
      return `retry tier ${JSON.stringify(part)} must be longer than the tier before it (${tierDelayName(before)}): delays strictly increase, e.g. 10s,5m`;
    out.push(ms);
  }
  return out;
}
