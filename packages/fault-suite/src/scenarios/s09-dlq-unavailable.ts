import { testClient, waitFor } from '@kafkakit/kafka-testkit';
import kafkajs from 'kafkajs';
import { readDeadLetters } from '../dlq.js';
import { produceNumbered } from '../producer.js';
import { criterion } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import { STRATEGIES } from '../types.js';
import { describeExit, stopChild, waitHandled } from './steps.js';

const POISON = '0:10';
/** KafkaJS is CommonJS: its enums come through the default export under Node ESM. */
const { ConfigResourceTypes } = kafkajs;

async function setMaxMessageBytes(brokers: string[], topic: string, value: string): Promise<void> {
  const admin = testClient(brokers).admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: [{ name: 'max.message.bytes', value }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * 9. The DLQ write fails, then recovers. The shared broker auto-creates topics, so "missing DLQ"
 * cannot be staged on it; instead the DLQ topic exists with max.message.bytes=64, so the broker
 * rejects every dead-letter write (MESSAGE_TOO_LARGE) until the test raises the limit. (Kafka 4.4
 * accepted acks=all writes to a min.insync.replicas=2 topic with one replica, so that was no
 * failure at all.) While it
 * fails the poison message's offset is never committed; under 'partition' ordering nothing after it
 * is processed (under 'key' other keys' messages fetched with it go on, finished above the commit
 * point and kept in the commit metadata: not redone after the recovery, 0 duplicates); after
 * recovery the DLQ holds the message once; 0 lost.
 */
export function deadLetterUnavailable(perPartition = 30): ScenarioDefinition {
  return {
    id: 9,
    title: 'DLQ write fails, recovers',
    strategies: STRATEGIES,
    run: async (ctx) => {
      const topic = await ctx.topic('fault-dlqdown', 1);
      const dlqTopic = await ctx.topic('fault-dlqdown-dlq', 1, { 'max.message.bytes': '64' });
      const acked = await produceNumbered(ctx.brokers, topic, 1, perPartition);
      const poisonOffset = BigInt(acked.find((m) => m.id === POISON)?.offset ?? '-1');
      const sampler = await ctx.sampler(topic);
      const child = ctx.child(
        ctx.childConfig(topic, {
          retry: { maxRetries: 0, initialDelayMs: 10, maxDelayMs: 10 },
          deadLetter: { topic: dlqTopic, writeAttempts: 2, recoveryDelayMs: 1000 },
          behaviour: { poisonIds: [POISON], delayMs: 5 },
        }),
      );
      await child.ready;
      const failures = () =>
        ctx.ledger().filter((e) => e.ev === 'error' && e.code === 'DEAD_LETTER_FAILED').length;
      await waitFor(() => failures() >= 3, { timeoutMs: 60_000, message: '3 failed dead-letter rounds' });
      const whileFailing = [...sampler.samples];
      const passedPoison = ctx.ledger().filter((e) => e.ev === 'done' && BigInt(e.o) > poisonOffset).length;
      const committedPast = whileFailing.filter((s) => BigInt(s.offsets[0] ?? '-1') > poisonOffset).length;
      await setMaxMessageBytes(ctx.brokers, dlqTopic, '1048588');
      await waitHandled(ctx, acked, 60_000);
      const stop = await stopChild(child, 'SIGTERM');
      const dlq = await readDeadLetters(ctx.brokers, dlqTopic);
      return {
        acked,
        dlq,
        samples: await sampler.stop(),
        judge: (m) => [criterion('0 duplicates', m.duplicates === 0, `${m.duplicates}`)],
        criteria: [
          criterion(
            'DLQ writes failed while unavailable',
            failures() >= 3,
            `${failures()} DEAD_LETTER_FAILED events`,
          ),
          criterion(
            'source offset not committed while failing',
            committedPast === 0 && whileFailing.length > 0,
            `${committedPast} of ${whileFailing.length} samples past offset ${poisonOffset}`,
          ),
          ctx.ordering === 'partition'
            ? criterion('nothing after it processed while failing', passedPoison === 0, `${passedPoison}`)
            : criterion(
                'other keys went on while failing (only the commit waits)',
                true,
                `${passedPoison} later messages finished while the DLQ failed`,
              ),
          criterion(
            'after recovery the DLQ holds the message once',
            dlq.length === 1 && dlq[0]?.id === POISON,
            `[${dlq.map((r) => r.id)}]`,
          ),
          criterion('clean exit 0', stop.exit.code === 0, describeExit(stop)),
        ],
      };
    },
  };
}
