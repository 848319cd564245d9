import type { UndecodableBatch } from './port.js';

/** What the runtime says about a held undecodable batch: where it is, why, and how to get past it. */
export function describeUndecodable(batch: UndecodableBatch, groupId: string): string {
  const { topic, partition, offset, lastOffset, kind } = batch;
  const reset = (to: string) =>
    `kafka-consumer-groups --group ${groupId} --topic ${topic}:${partition} --reset-offsets --to-offset ${to} --execute`;
  if (kind === 'broker') {
    // The broker finds an offset by reading the segment's batches on from an index entry: the damage stops it.
    return (
      `cannot fetch ${topic}[${partition}] at offset ${offset}: ${batch.error.message}. ` +
      'The partition is paused, the others go on. A reset to a later offset rarely helps on this broker ' +
      '(it cannot read on from the damage): make an intact replica the leader or repair the segment ' +
      'on the broker, then call ' +
      `resumePartition('${topic}', ${partition})`
    );
  }
  const span = lastOffset === undefined || lastOffset === offset ? '' : ` (offsets ${offset}..${lastOffset})`;
  const next = lastOffset === undefined ? undefined : (BigInt(lastOffset) + 1n).toString();
  const head =
    `cannot decode the record batch at offset ${offset}${span} of ${topic}[${partition}]: ${batch.error.message}. ` +
    'The partition is paused, the others go on. To skip the batch, stop the group and reset it to ' +
    `${next === undefined ? 'the offset after it' : `offset ${next}`} (${reset(next ?? '<next>')}); `;
  return kind === 'crc'
    ? `${head}the broker serves the damaged bytes again on every fetch, unless an intact replica takes over leadership: then call resumePartition('${topic}', ${partition})`
    : `${head}after fixing the cause instead (e.g. a codec), call resumePartition('${topic}', ${partition})`;
}
