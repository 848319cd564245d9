/**
 * A partition the broker answers with nothing, without an error, although it holds records past the
 * fetch offset. That is what a batch whose length field on the broker's disk runs past the end of
 * the log does: the broker, looking for the fetch offset, reads the batch headers of the segment,
 * takes the damaged one for a batch still being written and stops there. kcat (librdkafka) and
 * KafkaJS alike then wait forever, with the lag growing.
 *
 * The broker returns at least one whole batch for the first partition of a response that has any
 * (KIP-74, `minOneMessage`), so a response without a single record, not throttled, for a partition
 * whose fetch offset is below its last stable offset, means the broker could not read it there.
 * After `threshold` such responses in a row at the same offset (transient races of segment deletion
 * are not taken for damage), the partition is reported.
 */

export interface StallPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset: string;
  messages: unknown[];
}

export interface StallResponse {
  responses: Array<{ topicName: string; partitions: StallPartition[] }>;
}

export interface Stalled {
  topic: string;
  partition: number;
  /** The offset fetched again and again. */
  offset: string;
  /** Records the partition holds below this offset (its last stable offset). */
  end: string;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class FetchStalls {
  readonly #seen = new Map<string, { offset: string; count: number }>();

  constructor(private readonly threshold = 3) {}

  /**
   * One decoded Fetch response of a request that asked `fetchOffset(topic, partition)`; `quiet`: the
   * response carried no record bytes at all and was not throttled. Returns the partitions (of
   * `checked` topics) that reached the threshold with this response.
   */
  observe(
    response: StallResponse,
    quiet: boolean,
    fetchOffset: (topic: string, partition: number) => string | undefined,
    checked: (topic: string) => boolean,
  ): Stalled[] {
    const stalled: Stalled[] = [];
    for (const { topicName, partitions } of response.responses) {
      if (!checked(topicName)) continue;
      for (const p of partitions) {
        const id = key(topicName, p.partition);
        const offset = fetchOffset(topicName, p.partition);
        const end = readable(p);
        if (
          !quiet ||
          p.errorCode !== 0 ||
          offset === undefined ||
          end === undefined ||
          BigInt(offset) >= end
        ) {
          this.#seen.delete(id);
          continue;
        }
        const before = this.#seen.get(id);
        const count = before?.offset === offset ? before.count + 1 : 1;
        if (count < this.threshold) {
          this.#seen.set(id, { offset, count });
          continue;
        }
        this.#seen.delete(id);
        stalled.push({ topic: topicName, partition: p.partition, offset, end: end.toString() });
      }
    }
    return stalled;
  }
}

/** Where the records a read_committed fetch may return end: the last stable offset, else the high watermark. */
function readable(p: StallPartition): bigint | undefined {
  try {
    const hwm = BigInt(p.highWatermark);
    const lso = BigInt(p.lastStableOffset);
    if (hwm < 0n) return undefined;
    return lso >= 0n && lso < hwm ? lso : hwm;
  } catch {
    return undefined;
  }
}
