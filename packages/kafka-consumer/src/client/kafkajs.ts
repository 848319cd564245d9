import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { Logger } from '../logger.js';
import type { SaslOptions } from '../options.js';
import { SecuritySignals } from './auth-errors.js';
import { KafkaJsTopicAdmin } from './kafkajs-admin.js';
import { KafkaJsConsumerClient } from './kafkajs-consumer.js';
import { installKafkaJsPatches } from './kafkajs-patches/install.js';
import { recordPatch } from './kafkajs-patches/registry.js';
import { defaultSocketFactory } from './kafkajs-patches/sockets.js';
import { KafkaJsDeadLetterProducer } from './kafkajs-producer.js';
import { rangeReaderUnavailable } from './kafkajs-range-reader.js';
import type { ClientFactory } from './port.js';

export interface KafkaJsConnection {
  brokers: string[];
  clientId: string;
  ssl: KafkaConfig['ssl'];
  sasl: SaslOptions | undefined;
  logger: Logger;
  /** How long a JoinGroup may wait for the runtime's revoke work. */
  joinHoldMs: number;
}

/** KafkaJS's own logs go to the runtime logger: its errors as warn (the runtime reports real failures itself). */
function logCreator(logger: Logger, signals: SecuritySignals) {
  return () =>
    ({ level, log }: { level: number; log: { message: string; [key: string]: unknown } }) => {
      const { message, timestamp: _t, logger: _l, ...rest } = log;
      signals.note(rest.error);
      const fields = { kafkajs: true, ...rest };
      if (level <= logLevel.WARN && !signals.repeated(message)) logger.warn(fields, message);
      else logger.debug(fields, message);
    };
}

/** The client port on KafkaJS (the consumer in kafkajs-consumer.ts, its patches in kafkajs-patches/). */
export function createKafkaJsFactory(connection: KafkaJsConnection): ClientFactory {
  installKafkaJsPatches(connection.logger);
  const signals = new SecuritySignals();
  const kafka = new Kafka({
    brokers: connection.brokers,
    clientId: connection.clientId,
    ssl: connection.ssl,
    sasl: connection.sasl as KafkaConfig['sasl'],
    logLevel: logLevel.WARN,
    logCreator: logCreator(connection.logger, signals),
    socketFactory: defaultSocketFactory,
  });
  // Hot keys let messages go only where they can be read again beside the consumer's fetch.
  const unavailable = rangeReaderUnavailable(kafka);
  if (unavailable !== undefined) {
    recordPatch({
      name: 'range-reader (hot keys with bounded memory)',
      installed: false,
      reason: unavailable,
    });
    connection.logger.warn(
      { reason: unavailable },
      'cannot read a partition beside the consumer: a hot key keeps all its buffered messages',
    );
  }
  return {
    consumer: (options) =>
      new KafkaJsConsumerClient(
        kafka,
        connection.joinHoldMs,
        options,
        {
          signals,
          ctx: {
            groupId: options.groupId,
            topics: options.topics,
            ssl: Boolean(connection.ssl),
            sasl: connection.sasl,
          },
        },
        unavailable === undefined,
      ),
    producer: () => new KafkaJsDeadLetterProducer(kafka),
    admin: () => new KafkaJsTopicAdmin(kafka),
  };
}
