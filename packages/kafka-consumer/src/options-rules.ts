import type { z } from 'zod';
import { DEFAULTS } from './defaults.js';
import { retryTierTopicName, tierDelayName, topicProblem } from './naming.js';
import type { OptionsData } from './options.js';

/** Options that mean nothing for a share group, and what replaces each (the generator shows the same reasons). */
export const NOT_FOR_SHARE = {
  commit: 'a share group commits no offsets: each record is acknowledged when its handler finished',
  ordering: 'a share group has no order: its records are spread over every member',
  fromBeginning:
    "a share group starts where the group's share.auto.offset.reset says (kafka-configs.sh --alter --entity-type groups --entity-name <group> --add-config share.auto.offset.reset=earliest)",
} as const;

/** Tier delays strictly increase, and every derived tier topic is a valid name. */
function checkTiers(data: OptionsData, issue: (path: PropertyKey[], message: string) => void): void {
  const tiers = data.retry.topics;
  if (tiers.length === 0) return;
  if (data.groupType === 'share') {
    issue(['retry', 'topics'], 'not an option of a share consumer: the broker redelivers a released record');
    return;
  }
  for (let i = 1; i < tiers.length; i++) {
    const [before, delay] = [
      (tiers[i - 1] as { delayMs: number }).delayMs,
      (tiers[i] as { delayMs: number }).delayMs,
    ];
    if (delay <= before)
      issue(
        ['retry', 'topics', i, 'delay'],
        `must be longer than the tier before it (${tierDelayName(before)}): tier delays strictly increase, e.g. 10s then 5m`,
      );
  }
  const groupId = data.groupId ?? data.clientId ?? '';
  for (const topic of data.topics) {
    const longest = retryTierTopicName(
      topic,
      groupId,
      (tiers[tiers.length - 1] as { delayMs: number }).delayMs,
    );
    if (topicProblem(longest) !== undefined)
      issue(
        ['retry', 'topics'],
        `the tier topic "${longest.slice(0, 40)}..." of "${topic}" is not a valid topic name (over 249 characters?); use a shorter topic or group id`,
      );
    if (data.topics.some((t) => t === longest))
      issue(['retry', 'topics'], `"${longest}" is also a source topic`);
  }
}

/** Rules that span fields. */
export function crossCheck(data: OptionsData, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (data.groupType === 'share') {
    for (const [key, why] of Object.entries(NOT_FOR_SHARE))
      if (data[key as keyof typeof NOT_FOR_SHARE] !== undefined)
        issue([key], `not an option of a share consumer: ${why}`);
  }
  if (data.clientId === undefined && data.groupId === undefined)
    issue(['groupId'], 'set groupId (or clientId, which it defaults to)');
  if (data.retry.maxDelayMs < data.retry.initialDelayMs)
    issue(['retry', 'maxDelayMs'], `must be >= retry.initialDelayMs (${data.retry.initialDelayMs})`);
  const { unavailable } = data.retry;
  if (unavailable.maxDelayMs < unavailable.initialDelayMs)
    issue(
      ['retry', 'unavailable', 'maxDelayMs'],
      `must be >= retry.unavailable.initialDelayMs (${unavailable.initialDelayMs})`,
    );
  checkTiers(data, issue);
  if (data.heartbeatIntervalMs >= data.sessionTimeoutMs)
    issue(
      ['heartbeatIntervalMs'],
      `must be below sessionTimeoutMs (${data.sessionTimeoutMs}), typically a third of it`,
    );
  if (data.deadLetter === false) return;
  const dlq = data.deadLetter.topic;
  for (const topic of data.topics) {
    const target = dlq ?? `${topic}${DEFAULTS.deadLetterSuffix}`;
    if (target === topic)
      issue(
        ['deadLetter', 'topic'],
        `"${target}" is also a source topic; use a separate topic such as "${topic}.dlq"`,
      );
    else if (dlq === undefined && topicProblem(target) !== undefined)
      issue(
        ['topics'],
        `"${topic}" is too long to derive its dead-letter topic "${target}"; set deadLetter.topic`,
      );
  }
}
