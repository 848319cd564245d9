/**
 * Finished offsets above a partition's committed position, carried in the commit's metadata so a
 * restart or a rebalance redelivers only what was unfinished (as Confluent's Parallel Consumer
 * does). Format: `kk1:` then comma-separated runs relative to the committed offset, base 36:
 * `d` (one offset at committed + d) or `d+n` (n + 1 offsets from committed + d). Pure.
 */
export const METADATA_PREFIX = 'kk1:';
/** Kafka's default `offset.metadata.max.bytes` is 4096; stay below it (the text is ASCII). */
export const METADATA_LIMIT = 4000;

/** Encodes sorted finished offsets (all > committed) as metadata; undefined when it would not fit. */
export function encodeFinished(
  committed: bigint,
  finished: readonly bigint[],
  limit: number = METADATA_LIMIT,
): string | undefined {
  if (finished.length === 0) return '';
  const runs: string[] = [];
  let length = METADATA_PREFIX.length;
  let i = 0;
  while (i < finished.length) {
    const start = finished[i] as bigint;
    let end = start;
    while (i + 1 < finished.length && finished[i + 1] === end + 1n) end = finished[++i] as bigint;
    i++;
    const delta = (start - committed).toString(36);
    const run = end === start ? delta : `${delta}+${(end - start).toString(36)}`;
    length += run.length + 1;
    if (length > limit) return undefined;
    runs.push(run);
  }
  return METADATA_PREFIX + runs.join(',');
}

/** The finished offsets a commit's metadata lists (empty for anything that is not ours). */
export function decodeFinished(committed: bigint, metadata: string | null | undefined): Set<string> {
  const out = new Set<string>();
  if (typeof metadata !== 'string' || !metadata.startsWith(METADATA_PREFIX)) return out;
  for (const run of metadata.slice(METADATA_PREFIX.length).split(',')) {
    const match = /^([0-9a-z]+)(?:\+([0-9a-z]+))?$/.exec(run);
    if (match === null) return new Set();
    const start = committed + BigInt(Number.parseInt(match[1] as string, 36));
    const count = match[2] === undefined ? 0 : Number.parseInt(match[2], 36);
    if (count > 100_000) return new Set();
    for (let k = 0; k <= count; k++) out.add((start + BigInt(k)).toString());
  }
  return out;
}
