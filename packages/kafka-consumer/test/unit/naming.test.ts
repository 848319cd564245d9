import { describe, expect, it } from 'vitest';
import {
  brokerProblem,
  deadLetterTopicName,
  envPrefixProblem,
  groupIdProblem,
  isRetryTierTopic,
  prefixedEnvName,
  retryTierTopicName,
  tierDelayName,
  topicProblem,
} from '../../src/naming.js';

describe('naming rules shared by the runtime and the generator', () => {
  it('accepts broker addresses KafkaJS can use, hostnames with "_" included', () => {
    for (const broker of [
      'localhost:9092',
      'kafka-1.internal:19092',
      'kafka_broker-2.svc:9092',
      '10.0.0.7:9093',
    ]) {
      expect(brokerProblem(broker), broker).toBeUndefined();
    }
  });

  it('refuses IPv6 literals (KafkaJS splits at the first ":") and malformed addresses, saying why', () => {
    expect(brokerProblem('[::1]:9092')).toMatch(/IPv6 addresses are not supported by KafkaJS/);
    expect(brokerProblem('::1:9092')).toMatch(/IPv6/);
    expect(brokerProblem('localhost')).toMatch(/must be host:port/);
    expect(brokerProblem('kafka:0')).toMatch(/port outside 1-65535/);
    expect(brokerProblem('bad host:9092')).toMatch(/invalid host/);
    expect(brokerProblem('-kafka:9092')).toMatch(/invalid host/);
  });

  it("follows Kafka's topic rules and derives the per-topic dead-letter topic", () => {
    expect(topicProblem('orders.placed_v2-x')).toBeUndefined();
    expect(topicProblem('a'.repeat(250))).toMatch(/at most 249/);
    expect(topicProblem('..')).toMatch(/reserved/);
    expect(groupIdProblem('my group')).toMatch(/may only contain/);
    expect(deadLetterTopicName('orders.placed')).toBe('orders.placed.dlq');
    expect(deadLetterTopicName('orders.placed', 'dead')).toBe('dead');
  });

  it('checks env prefixes and applies them to KAFKA_ names', () => {
    expect(envPrefixProblem('BILLING_KAFKA_')).toBeUndefined();
    expect(envPrefixProblem('billing_')).toMatch(/upper-case/);
    expect(envPrefixProblem('KAFKA')).toMatch(/ending in "_"/);
    expect(prefixedEnvName('KAFKA_BROKERS', 'BILLING_KAFKA_')).toBe('BILLING_KAFKA_BROKERS');
    expect(prefixedEnvName('LOG_LEVEL', 'BILLING_KAFKA_')).toBe('LOG_LEVEL');
  });

  it('names retry tiers by source, group and delay, and recognises the shape', () => {
    expect([250, 1000, 10_000, 90_000, 300_000, 7_200_000].map(tierDelayName)).toEqual([
      '250ms',
      '1s',
      '10s',
      '90s',
      '5m',
      '2h',
    ]);
    expect(retryTierTopicName('orders.placed', 'billing', 10_000)).toBe('orders.placed.billing.retry.10s');
    expect(isRetryTierTopic(retryTierTopicName('orders.placed', 'billing', 1500))).toBe(true);
    expect(isRetryTierTopic('orders.retry-later')).toBe(false);
    expect(isRetryTierTopic('orders.placed.dlq')).toBe(false);
  });
});
