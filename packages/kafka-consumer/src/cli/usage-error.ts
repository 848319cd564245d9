import { KafkaConsumerError } from '../errors.js';

/** The documented exit codes of `kafkakit`. */
export const CLI_EXIT = {
  /** Done: everything selected was handled. */
  done: 0,
  /** An error (broker, network, authentication, interrupted): nothing reported as done that was not. */
  error: 1,
  /** Bad usage: unknown flag or command, bad value, unknown topic, a topic that is not a DLQ. */
  usage: 2,
  /** Done, but some records were skipped (redriven too often, target refused or missing). */
  skipped: 3,
} as const;

/** Bad usage: reported as one line, exit code 2, before anything is written. */
export class UsageError extends KafkaConsumerError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFIG_INVALID', message, { cause: options.cause });
    this.name = 'UsageError';
  }
}
