/** Per-partition message counts, plain numbers: the metrics read them at scrape time. */
export interface PartitionTally {
  readonly topic: string;
  readonly partition: number;
  processed: number;
  retried: number;
  deadLettered: number;
  failedRetryable: number;
  failedFinal: number;
}

/** Tallies by topic and partition, with the last one hit cached (batches are per partition). */
export class Tallies {
  readonly #byTopic = new Map<string, Map<number, PartitionTally>>();
  #last: PartitionTally | undefined;

  of(topic: string, partition: number): PartitionTally {
    const last = this.#last;
    if (last !== undefined && last.partition === partition && last.topic === topic) return last;
    let byPartition = this.#byTopic.get(topic);
    if (byPartition === undefined) {
      byPartition = new Map();
      this.#byTopic.set(topic, byPartition);
    }
    let tally = byPartition.get(partition);
    if (tally === undefined) {
      tally = {
        topic,
        partition,
        processed: 0,
        retried: 0,
        deadLettered: 0,
        failedRetryable: 0,
        failedFinal: 0,
      };
      byPartition.set(partition, tally);
    }
    this.#last = tally;
    return tally;
  }

  *all(): IterableIterator<PartitionTally> {
    for (const byPartition of this.#byTopic.values()) yield* byPartition.values();
  }
}
