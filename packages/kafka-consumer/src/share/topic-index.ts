/**
 * Topic ids to names and partition leaders, from Metadata v12 of the subscribed topics. Refreshed
 * when an assignment names an id it does not know, or a broker says it no longer leads a partition.
 */
import type { KafkaJsLink } from './kafkajs-link.js';
import { metadataByName } from './metadata-api.js';
import type { PartitionId } from './pending-acks.js';

export class TopicIndex {
  readonly #link: KafkaJsLink;
  readonly #topics: readonly string[];
  #names = new Map<string, string>();
  #leaders = new Map<string, number>();
  #stale = true;

  constructor(link: KafkaJsLink, topics: readonly string[]) {
    this.#link = link;
    this.#topics = topics;
  }

  /** The next lookup reads metadata again. */
  invalidate(): void {
    this.#stale = true;
  }

  async #refresh(): Promise<void> {
    const { topics } = await this.#link.any((broker) => broker.send(metadataByName(this.#topics)));
    const names = new Map<string, string>();
    const leaders = new Map<string, number>();
    for (const t of topics) {
      if (t.errorCode !== 0 || t.name === null) continue;
      const id = t.topicId.toString('hex');
      names.set(id, t.name);
      for (const p of t.partitions) leaders.set(`${id}:${p.partition}`, p.leaderId);
    }
    this.#names = names;
    this.#leaders = leaders;
    this.#stale = false;
  }

  /** The name of `topicId`, undefined when it is not one of the subscribed topics. */
  async name(topicId: Buffer): Promise<string | undefined> {
    const id = topicId.toString('hex');
    if (this.#stale || !this.#names.has(id)) await this.#refresh();
    return this.#names.get(id);
  }

  /** Node id of the leader of each partition (-1 when it has none right now). */
  async leaders(partitions: readonly PartitionId[]): Promise<Map<number, PartitionId[]>> {
    const key = (p: PartitionId) => `${p.topicId.toString('hex')}:${p.partition}`;
    if (this.#stale || partitions.some((p) => !this.#leaders.has(key(p)))) await this.#refresh();
    const byNode = new Map<number, PartitionId[]>();
    for (const p of partitions) {
      const node = this.#leaders.get(key(p)) ?? -1;
      byNode.set(node, [...(byNode.get(node) ?? []), p]);
    }
    return byNode;
  }
}
