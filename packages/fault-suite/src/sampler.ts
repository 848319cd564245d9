import { testClient } from '@kafkakit/kafka-testkit';
import type { CommitSample } from './types.js';

export interface OffsetSampler {
  readonly samples: readonly CommitSample[];
  /** Read failures (e.g. while the broker is down); a sample is skipped, never invented. */
  readonly failures: number;
  stop(): Promise<CommitSample[]>;
}

/** Reads the group's committed offsets for `topic` through the admin API every `intervalMs`. */
export async function startOffsetSampler(
  brokers: string[],
  groupId: string,
  topic: string,
  intervalMs = 250,
): Promise<OffsetSampler> {
  const admin = testClient(brokers, 'fault-suite-sampler').admin();
  await admin.connect();
  const samples: CommitSample[] = [];
  let failures = 0;
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const offsets = Object.fromEntries((entry?.partitions ?? []).map((p) => [p.partition, p.offset]));
        samples.push({ ts: Date.now(), offsets });
      } catch {
        failures++;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, intervalMs);
      });
    }
  })();
  return {
    samples,
    get failures() {
      return failures;
    },
    stop: async () => {
      running = false;
      wake?.();
      await loop;
      await admin.disconnect();
      return samples;
    },
  };
}
