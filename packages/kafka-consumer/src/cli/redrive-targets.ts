import type { Admin } from './kafka.js';
import { keyPartitioner, partitionOffsets } from './kafka.js';

/**
 * Where a redriven record goes. Back to its source topic: the partition it came from (so its key
 * stays where the original producer put it); with `--to`, or when that partition no longer
 * exists, the partition of its key under the Java client's default partitioner.
 */
export class Targets {
  /** Topic -> partition count; null when the topic does not exist. */
  readonly #partitions = new Map<string, number | null>();
  readonly #byKey = keyPartitioner();

  constructor(private readonly admin: Admin) {}

  /** Looks up the topics not seen yet (one metadata request). */
  async prepare(wanted: Iterable<string>): Promise<void> {
    const unknown = [...new Set(wanted)].filter((t) => !this.#partitions.has(t));
    if (unknown.length === 0) return;
    const existing = new Set(await this.admin.listTopics());
    const present = unknown.filter((t) => existing.has(t));
    for (const t of unknown) if (!existing.has(t)) this.#partitions.set(t, null);
    if (present.length === 0) return;
    const { topics } = await this.admin.fetchTopicMetadata({ topics: present });
    for (const t of topics) this.#partitions.set(t.name, t.partitions.length);
  }

  /** The target partition, or undefined when the topic does not exist. Call `prepare` first. */
  partition(topic: string, sourcePartition: number | undefined, key: Buffer | null, keepPartition: boolean) {
    const count = this.#partitions.get(topic);
    if (count === null || count === undefined) return undefined;
    if (keepPartition && sourcePartition !== undefined && sourcePartition < count) return sourcePartition;
    return this.#byKey(topic, count, key);
  }

  /** End offsets of the given target partitions: [topic, partition, end]. */
  async ends(targets: Iterable<readonly [string, number]>): Promise<Array<[string, number, string]>> {
    const byTopic = new Map<string, Set<number>>();
    for (const [topic, partition] of targets)
      byTopic.set(topic, (byTopic.get(topic) ?? new Set()).add(partition));
    const out: Array<[string, number, string]> = [];
    for (const [topic, partitions] of byTopic)
      for (const p of await partitionOffsets(this.admin, topic))
        if (partitions.has(p.partition)) out.push([topic, p.partition, String(p.high)]);
    return out;
  }
}
