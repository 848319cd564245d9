import type { ClientFactory } from './client/port.js';
import type { EventName, Listener } from './events.js';
import type { ResolvedOptions } from './options.js';
import type { HealthReport, ShutdownReport } from './types.js';

export interface KafkaConsumer {
  /** Connects to the cluster (and the dead-letter producer), checks the DLQ topics. Idempotent. */
  connect(): Promise<void>;
  /** Subscribes and starts consuming; resolves once the group was joined. Connects first if needed. */
  run(): Promise<void>;
  /** Graceful stop: drain (bounded by drainTimeoutMs), commit, leave the group, close; ends within drainTimeoutMs + 5 s. Idempotent. */
  disconnect(): Promise<ShutdownReport>;
  health(): HealthReport;
  /** Resumes a partition the runtime paused; its unfinished message is delivered again (attempts start at 1). */
  resumePartition(topic: string, partition: number): boolean;
  on<K extends EventName>(name: K, listener: Listener<K>): () => void;
  once<K extends EventName>(name: K, listener: Listener<K>): () => void;
  off<K extends EventName>(name: K, listener: Listener<K>): void;
  /** The validated options with defaults applied. */
  readonly options: Readonly<ResolvedOptions<unknown>>;
}

/** Test seam: plug another client in place of KafkaJS. */
export interface ConsumerDependencies {
  clientFactory?: ClientFactory;
  /** Test seam: the longest commit metadata in characters (the model test makes it tiny). @default 4000 */
  metadataLimit?: number;
  /** How the process exits (signal shutdown, fatal crash with `exitProcess`). @default process.exit */
  exit?: (code: number) => void;
}
