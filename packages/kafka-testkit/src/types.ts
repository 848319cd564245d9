/** How the test kit got its broker. */
export type BrokerMode = 'external' | 'docker' | 'local';

export interface StartKafkaOptions {
  /** Apache Kafka version for docker/local modes. @default process.env.KAFKA_VERSION ?? '4.4.0' */
  version?: string;
  /** Give up (and show the log tail) after this long. @default 120_000 */
  startTimeoutMs?: number;
  /** Force a mode instead of choosing (KAFKAKIT_BROKER_MODE does the same). @default chosen */
  mode?: BrokerMode;
  /** Local mode: listen on this port (e.g. to restart on the same address). @default a free port */
  port?: number;
  /** Local mode: keep data, config and log here (e.g. to restart on the same data). @default a temp dir */
  dataDir?: string;
  /** Local mode: JVM heap (-Xms/-Xmx). @default '512m' max, '256m' initial */
  heap?: string;
  /** Local mode: keep the temp dir when start-up fails, to read the full log. @default false */
  keepLogOnFailure?: boolean;
  /**
   * Local mode: a KRaft cluster of this many nodes (each its own JVM, heap `heap` or 384m), replication
   * factor = nodes, min.insync.replicas 2; the handle's `cluster` stops, kills and restarts nodes.
   * 1 (the default) is the single broker as before.
   */
  nodes?: number;
  /**
   * Local single-node mode: `false` formats the storage with `share.version=0`, a 4.x broker whose
   * share groups (KIP-932) are off, to test how clients fail on it. @default true (4.4: share.version 2)
   */
  shareGroups?: boolean;
}

export interface ClusterNodeHandle {
  /** node.id (1..n), as in partition leaders and broker ids. */
  readonly id: number;
  /** host:port of its PLAINTEXT listener. */
  readonly address: string;
  /** The JVM's pid (a new one after a restart). */
  readonly pid: number | undefined;
  readonly running: boolean;
  readonly logFile: string;
}

/** Fault control of a multi-node local cluster. */
export interface ClusterControl {
  readonly nodes: readonly ClusterNodeHandle[];
  /** Controlled shutdown of one node (SIGTERM); resolves when its JVM exited. */
  stopNode(id: number): Promise<void>;
  /** SIGKILL of one node's JVM; resolves when it is gone. */
  killNode(id: number): Promise<void>;
  /** Starts a stopped/killed node again on its ports and data; resolves once it serves metadata. */
  startNode(id: number): Promise<void>;
  /** Node id of the current leader of `topic[partition]`. */
  leaderOf(topic: string, partition: number): Promise<number>;
  /** Node id hosting `groupId`'s coordinator (the leader of its __consumer_offsets partition). */
  coordinatorOf(groupId: string): Promise<number>;
}

export interface KafkaHandle {
  /** Bootstrap addresses, e.g. ['127.0.0.1:39093']. */
  readonly brokers: string[];
  /** Kafka version of the broker (for external clusters: as reported by KAFKA_VERSION, or 'external'). */
  readonly version: string;
  readonly mode: BrokerMode;
  /** Time from the call to a successful metadata request. */
  readonly startupMs: number;
  /** Local mode: how long the one-time jar download took, when it happened in this call. */
  readonly jarsFetchedMs?: number | undefined;
  /** Local mode: the broker's log file. */
  readonly logFile?: string;
  /** Local mode: the folder with config, data and log. */
  readonly dataDir?: string;
  /**
   * Local single-node mode: the broker's `log.dirs` (one folder per partition, `<topic>-<partition>`,
   * holding its segment files; see `segmentFiles`).
   */
  readonly logDir?: string;
  /** Local mode: the JVM's process id. */
  readonly pid?: number;
  /** Local mode: freeze the broker process (SIGSTOP), for fault tests. */
  pause?(): Promise<void>;
  /** Local mode: thaw it (SIGCONT). */
  resume?(): Promise<void>;
  /** Local multi-node mode (`nodes` > 1): stop, kill and restart nodes, find leaders and coordinators. */
  readonly cluster?: ClusterControl;
  /** Stops what the kit started (nothing for external clusters) and removes its temp data. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}
