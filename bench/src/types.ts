/** Shapes shared by the orchestrator (parent) and the contender processes (children). */

/** The runtime with `ordering: 'key' | 'unordered'` (issue 10 workloads, src/keyed-plan.ts). */
export type KeyedContenderId = 'runtime-key' | 'runtime-unordered' | 'runtime-key-buffer-all';

export type ContenderId =
  | KeyedContenderId
  | 'kafkajs-eachMessage'
  | 'kafkajs-eachBatch'
  | 'runtime-per-message'
  | 'runtime-per-batch'
  | 'runtime-per-batch-metrics'
  | 'runtime-interval'
  | 'runtime-dlq-1pct'
  | 'platformatic'
  | 'java-ConsumerPerformance';

/** Node contenders run by src/child/main.ts; the Java ceiling is run by src/java.ts. */
export type NodeContenderId = Exclude<ContenderId, 'java-ConsumerPerformance'>;

export type HandlerKind = { kind: 'noop' } | { kind: 'sleep'; ms: number };

/** What one child process is asked to do. */
export interface ChildSpec {
  mode: 'throughput' | 'latency';
  contender: NodeContenderId;
  brokers: string[];
  topic: string;
  groupId: string;
  /** Stop after this many messages went through the handler (latency mode: measured messages). */
  target: number;
  handler: HandlerKind;
  /** Partitions processed at once ('partition' ordering); handler calls in flight ('key' / 'unordered'). */
  concurrency: number;
  /** Keyed contenders: the runtime's maxBufferedPerPartition (unset: its default). */
  maxBufferedPerPartition?: number;
  /**
   * Hot-key workloads: messages whose value starts with HOT (src/child/keys.ts) start the window but
   * are not counted; `target` counts the other keys' messages, the window ends at the last of them.
   */
  excludeHot?: boolean;
  /** Where the child writes its ChildResult as JSON. */
  resultFile: string;
}

export interface InFlightSummary {
  /** Time-weighted mean. */
  mean: number;
  max: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ChildResult {
  contender: ContenderId;
  messages: number;
  bytes: number;
  /** First message seen -> target reached. */
  windowMs: number;
  /** CPU seconds (user + system) spent inside the window. */
  cpuSeconds: number;
  /** Process start -> first message (start-up, connect, group join, first fetch). */
  firstMessageAfterMs: number;
  /** Peak resident set size of the whole process (VmHWM), MB. */
  peakRssMb: number;
  /** process.memoryUsage() when the window closed, before the GC, MB (where the peak RSS goes). */
  memoryAtEndMb?: Record<string, number>;
  /** V8 heap still used after a full GC once the window closed, MB (Node contenders). */
  heapAfterGcMb?: number;
  /** Messages sent to the dead-letter topic (runtime-dlq-1pct). */
  deadLettered?: number;
  /** excludeHot: hot-key messages finished inside the window (not in `messages`). */
  hotFinished?: number;
  /** Keyed contenders: handler calls in flight, first call -> window end. */
  inFlight?: InFlightSummary;
  /** Latency mode: producer timestamp -> handler, and -> commit acknowledged (ms). */
  toHandler?: LatencySummary;
  toCommit?: LatencySummary;
  /** Latency mode: measured messages whose commit was never acknowledged before the child gave up. */
  uncommitted?: number;
}

/** One measured round of one contender in one workload. */
export interface RoundResult extends ChildResult {
  round: number;
  workload: string;
  msgPerSec: number;
  mbPerSec: number;
}
