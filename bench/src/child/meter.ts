import { readFileSync, writeFileSync } from 'node:fs';
import { percentile } from '../stats.js';
import type { ChildResult, ChildSpec, LatencySummary } from '../types.js';
import type { InFlight } from './in-flight.js';
import { HOT } from './keys.js';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

/** Peak resident set size of this process in MB, from /proc/self/status VmHWM (falls back to maxRSS). */
export function peakRssMb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch (error) {
    process.stderr.write(`VmHWM unavailable (${String(error)}); using resourceUsage().maxRSS\n`);
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Latency-pass message values: byte 0 'W' (warm-up) or 'L' (measured), bytes 1-8 the producer time (float64 LE). */
export const WARMUP = 0x57;
export const MEASURED = 0x4c;

function summarise(samples: Float64Array, count: number): LatencySummary {
  const sorted = samples.slice(0, count).sort();
  return {
    count,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: count > 0 ? (sorted[count - 1] as number) : Number.NaN,
  };
}

/**
 * Counts what the handler saw. Throughput mode: the window runs from the first message to the
 * target-th, then the result is written and the process exits. Latency mode: records producer
 * timestamp -> handler per measured message and, when a commit covering it is acknowledged,
 * producer timestamp -> commit; finishes once every measured message is committed (or after a grace).
 */
export class Meter {
  count = 0;
  bytes = 0;
  deadLettered = 0;
  /** excludeHot: hot-key messages finished in the window. */
  hotFinished = 0;
  /** Set by contenders that track their handler calls in flight. */
  inFlight: InFlight | undefined;
  #startedAt = 0;
  #cpuAtStart: NodeJS.CpuUsage | undefined;
  #ready = false;
  #finished = false;
  readonly #toHandler: Float64Array;
  readonly #toCommit: Float64Array;
  #committedCount = 0;
  /** Per partition: offsets and producer times of measured messages awaiting a commit, in order. */
  readonly #pending = new Map<number, { offsets: number[]; times: number[]; head: number }>();

  constructor(private readonly spec: ChildSpec) {
    const size = spec.mode === 'latency' ? spec.target : 0;
    this.#toHandler = new Float64Array(size);
    this.#toCommit = new Float64Array(size);
  }

  /** Called by every contender once its handler finished a message. */
  seen(partition: number, offset: string | bigint, value: Buffer | null | undefined): void {
    if (this.#finished) return;
    if (this.spec.mode === 'latency') {
      this.#seenLatency(partition, offset, value);
      return;
    }
    if (this.#startedAt === 0) {
      this.#startedAt = performance.now();
      this.#cpuAtStart = process.cpuUsage();
    }
    if (this.spec.excludeHot && value?.[0] === HOT) {
      this.hotFinished++;
      return;
    }
    this.count++;
    this.bytes += value?.length ?? 0;
    if (this.count >= this.spec.target) this.finish();
  }

  #seenLatency(partition: number, offset: string | bigint, value: Buffer | null | undefined): void {
    if (value === null || value === undefined || value.length < 9) return;
    if (value[0] === WARMUP) {
      if (!this.#ready) {
        this.#ready = true;
        process.send?.({ type: 'ready' });
      }
      return;
    }
    if (value[0] !== MEASURED || this.count >= this.spec.target) return;
    const now = nowMs();
    const producedAt = value.readDoubleLE(1);
    if (this.count === 0) {
      this.#startedAt = performance.now();
      this.#cpuAtStart = process.cpuUsage();
    }
    this.#toHandler[this.count] = now - producedAt;
    this.count++;
    this.bytes += value.length;
    let queue = this.#pending.get(partition);
    if (queue === undefined) {
      queue = { offsets: [], times: [], head: 0 };
      this.#pending.set(partition, queue);
    }
    queue.offsets.push(Number(offset));
    queue.times.push(producedAt);
    if (this.count >= this.spec.target) {
      const grace = setTimeout(() => this.finish(), 8000);
      grace.unref();
      this.#finishWhenCommitted();
    }
  }

  /** A commit of `nextOffset` (Kafka convention: the next offset to read) on `partition` was acknowledged. */
  committed(partition: number | string, nextOffset: string | bigint): void {
    // KafkaJS reports partitions of auto-commits as strings (object keys).
    const queue = this.#pending.get(Number(partition));
    if (queue === undefined) return;
    const next = Number(nextOffset);
    const now = nowMs();
    while (queue.head < queue.offsets.length && (queue.offsets[queue.head] as number) < next) {
      this.#toCommit[this.#committedCount++] = now - (queue.times[queue.head] as number);
      queue.head++;
    }
    if (this.count >= this.spec.target) this.#finishWhenCommitted();
  }

  #finishWhenCommitted(): void {
    if (this.#committedCount >= this.count) this.finish();
  }

  /** Writes the result file and exits the process. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const windowMs = performance.now() - this.#startedAt;
    const cpu = process.cpuUsage(this.#cpuAtStart);
    const result: ChildResult = {
      contender: this.spec.contender,
      messages: this.count,
      bytes: this.bytes,
      windowMs,
      firstMessageAfterMs: this.#startedAt,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMb: peakRssMb(),
    };
    if (this.deadLettered > 0) result.deadLettered = this.deadLettered;
    if (this.spec.excludeHot) result.hotFinished = this.hotFinished;
    if (this.inFlight) result.inFlight = this.inFlight.summary();
    result.memoryAtEndMb = Object.fromEntries(
      Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 10485.76) / 100]),
    );
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc !== undefined) {
      gc();
      result.heapAfterGcMb = process.memoryUsage().heapUsed / 1024 / 1024;
    }
    if (this.spec.mode === 'latency') {
      result.toHandler = summarise(this.#toHandler, this.count);
      result.toCommit = summarise(this.#toCommit, this.#committedCount);
      result.uncommitted = this.count - this.#committedCount;
    }
    writeFileSync(this.spec.resultFile, JSON.stringify(result));
    process.exit(0);
  }
}
