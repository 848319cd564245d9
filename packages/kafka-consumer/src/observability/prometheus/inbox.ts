import { Counter, type Registry, register } from 'prom-client';

/** Anything that reports skipped duplicates: the PostgreSQL inbox (`@kafkakit/kafka-consumer/postgres`). */
export interface DuplicateSource {
  onDuplicate(listener: (duplicate: { topic: string; partition: number }) => void): () => void;
}

export interface InboxMetricsOptions {
  /** @default prom-client's global `register` */
  registry?: Registry;
  /** @default 'kafka_consumer_' (beside the consumer's own metrics) */
  prefix?: string;
}

/**
 * Registers `${prefix}duplicates_skipped_total{topic,partition}`: messages an inbox skipped because it
 * had handled them already (a redelivery, or a producer's resend with `idOf`). `close()` unregisters it.
 */
export function registerInboxMetrics(
  inbox: DuplicateSource,
  options: InboxMetricsOptions = {},
): { close: () => void } {
  const registry = options.registry ?? register;
  const name = `${options.prefix ?? 'kafka_consumer_'}duplicates_skipped_total`;
  const counter = new Counter({
    name,
    help: 'Messages skipped as duplicates: the inbox had handled them already in this group (counted as processed).',
    labelNames: ['topic', 'partition'],
    registers: [registry],
  });
  const off = inbox.onDuplicate(({ topic, partition }) =>
    counter.inc({ topic, partition: String(partition) }),
  );
  let closed = false;
  return {
    close: () => {
      if (closed) return;
      closed = true;
      off();
      registry.removeSingleMetric(name);
    },
  };
}
