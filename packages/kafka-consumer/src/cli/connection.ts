import type { ConnectionOptions } from 'node:tls';
import { loadOptionsFromEnv } from '../env.js';
import { ConfigError } from '../errors.js';
import type { SaslOptions } from '../options.js';
import { UsageError } from './usage-error.js';

/** How the command reaches the cluster: the service's own KAFKA_* settings, `--brokers` wins. */
export interface Connection {
  brokers: string[];
  clientId: string;
  ssl: boolean | ConnectionOptions | undefined;
  sasl: SaslOptions | undefined;
}

type Env = Record<string, string | undefined>;

/**
 * Reads brokers, TLS and SASL exactly as the service does (`loadOptionsFromEnv`: KAFKA_BROKERS,
 * KAFKA_SSL*, KAFKA_SASL_*, same checks and messages). KAFKA_TOPICS is required by the service but
 * means nothing here, so a placeholder stands in when it is unset.
 */
export function connectionFromEnv(env: Env, flags: { brokers?: string | undefined }): Connection {
  const brokers = flags.brokers
    ?.split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  const overrides = {
    ...(brokers === undefined ? {} : { brokers }),
    ...(env.KAFKA_TOPICS?.trim() ? {} : { topics: ['kafkakit.cli'] }),
    clientId: 'kafkakit-cli',
  };
  try {
    const options = loadOptionsFromEnv(env, overrides);
    return {
      brokers: options.brokers,
      clientId: 'kafkakit-cli',
      ssl: options.ssl as Connection['ssl'],
      sasl: options.sasl as SaslOptions | undefined,
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const issues = error.issues.map((i) => i.replace(/^brokers/, '--brokers / KAFKA_BROKERS'));
    throw new UsageError(`connection settings: ${issues.join('; ')}`, { cause: error });
  }
}
