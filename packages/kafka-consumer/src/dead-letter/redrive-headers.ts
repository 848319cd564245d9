/**
 * Headers `kafkakit dlq redrive` adds to a record it writes back to its source topic. The runtime
 * keeps a record's headers when it dead-letters it again, so a redrive count survives the loop
 * source -> DLQ -> source and caps it (`--max-redrives`).
 */
export const REDRIVE_HEADERS = {
  /** How often this message was redriven, this write included. */
  count: 'x-redrive-count',
  /** ISO-8601 time of this redrive. */
  at: 'x-redrive-at',
  /** `<dlq topic>/<partition>/<offset>` of the dead-letter record this write came from. */
  origin: 'x-redrive-origin',
} as const;

/** The value of the origin header: one DLQ record, the same on every attempt to redrive it. */
export function redriveOrigin(dlqTopic: string, partition: number, offset: string): string {
  return `${dlqTopic}/${partition}/${offset}`;
}
