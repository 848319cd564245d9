import { topicProblem } from '@kafkakit/kafka-consumer/naming';
import { describe, expect, it } from 'vitest';
import { buildQuestions } from '../../src/prompts.js';
import {
  type Answers,
  checkField,
  type FieldKey,
  MissingOptionError,
  type OptionsError,
  resolveAnswers,
  validateGiven,
} from '../../src/schema.js';

const bad = (key: FieldKey, raw: unknown, answers: Partial<Answers> = {}) => {
  const result = checkField(key, raw, answers);
  if (result.ok) throw new Error(`${key}=${String(raw)} was accepted`);
  return result.message;
};

describe('schema', () => {
  it('fills every default from name and topics', () => {
    expect(
      resolveAnswers({ name: 'orders', topics: 'orders.placed, orders.cancelled' }, { useDefaults: true }),
    ).toEqual({
      name: 'orders',
      topics: ['orders.placed', 'orders.cancelled'],
      groupType: 'consumer',
      groupId: 'orders',
      brokers: ['localhost:9092'],
      commit: 'per-batch',
      ordering: 'partition',
      concurrency: 1,
      maxRetries: 3,
      retryTopics: [],
      dlqTopic: '<topic>.dlq',
      fromBeginning: false,
      idempotency: 'none',
      install: true,
      dir: 'services/orders',
      envPrefix: 'KAFKA_',
    });
  });

  it('takes --idempotency none or postgres, and leaves it out of a share group', () => {
    const base = { name: 'ledger', topics: 'payments' };
    expect(resolveAnswers({ ...base, idempotency: 'postgres' }, { useDefaults: true }).idempotency).toBe(
      'postgres',
    );
    expect(() => resolveAnswers({ ...base, idempotency: 'redis' }, { useDefaults: true })).toThrow(
      'Invalid --idempotency: the idempotency must be one of none, postgres',
    );
    expect(
      resolveAnswers({ ...base, groupType: 'share' }, { useDefaults: true }).idempotency,
    ).toBeUndefined();
    expect(() =>
      resolveAnswers({ ...base, groupType: 'share', idempotency: 'postgres' }, { useDefaults: true }),
    ).toThrow(/Invalid --idempotency: not for a share group/);
  });

  it('leaves commit, ordering and from-beginning out of a share group, with the parallel concurrency', () => {
    expect(
      resolveAnswers({ name: 'thumbs', topics: 'images', groupType: 'share' }, { useDefaults: true }),
    ).toEqual({
      name: 'thumbs',
      topics: ['images'],
      groupType: 'share',
      groupId: 'thumbs',
      brokers: ['localhost:9092'],
      concurrency: 16,
      maxRetries: 3,
      dlqTopic: '<topic>.dlq',
      install: true,
      dir: 'services/thumbs',
      envPrefix: 'KAFKA_',
    });
  });

  it.each([
    [
      'commit',
      'per-batch',
      /Invalid --commit: not for a share group.*commits no offsets.*leave out --commit/,
    ],
    ['ordering', 'key', /Invalid --ordering: not for a share group.*no order.*leave out --ordering/],
    ['fromBeginning', true, /Invalid --from-beginning: not for a share group.*share\.auto\.offset\.reset/],
  ])('refuses --%s with --group-type share, saying why', (key, value, message) => {
    const raw = { name: 'thumbs', topics: 'images', groupType: 'share', [key]: value };
    expect(() => validateGiven(raw)).toThrow(message);
    expect(() => resolveAnswers(raw, { useDefaults: true })).toThrow(message);
    expect(() => validateGiven({ ...raw, groupType: 'consumer' })).not.toThrow();
  });

  it('refuses a group type other than consumer or share', () => {
    expect(checkField('groupType', 'queue')).toEqual({
      ok: false,
      message: 'the group type must be one of consumer, share',
    });
  });

  it('does not ask a share group for commit, ordering or from-beginning', () => {
    const questions = buildQuestions({ name: 'thumbs' }) as {
      name: string;
      when: (answers: Record<string, unknown>) => boolean;
    }[];
    const asked = (answers: Record<string, unknown>) =>
      questions.filter((q) => q.when(answers)).map((q) => q.name);
    const share = asked({ topics: 'images', groupType: 'share' });
    expect(share).not.toContain('commit');
    expect(share).not.toContain('ordering');
    expect(share).not.toContain('fromBeginning');
    expect(asked({ topics: 'images', groupType: 'consumer' })).toEqual(
      expect.arrayContaining(['commit', 'ordering', 'fromBeginning']),
    );
  });

  it('names the missing flag', () => {
    expect(() => resolveAnswers({ topics: 'a' }, { useDefaults: true })).toThrow(MissingOptionError);
    expect(() => resolveAnswers({ topics: 'a' }, { useDefaults: true })).toThrow(/--name/);
    expect(() => resolveAnswers({ name: 'a' }, { useDefaults: true })).toThrow(/--topics/);
  });

  it('validates names as kebab-case', () => {
    for (const name of ['orders', 'order-events', 'a1-b2']) expect(checkField('name', name).ok).toBe(true);
    for (const name of [
      'Orders',
      'order_events',
      '-x',
      'x-',
      '1x',
      'a--b',
      '../x',
      "a';process.exit(1);//",
      '',
    ]) {
      expect(bad('name', name)).toMatch(/kebab-case|required/);
    }
  });

  it("follows Kafka's topic rules", () => {
    expect(topicProblem('orders.placed_v2-x')).toBeUndefined();
    expect(topicProblem('a'.repeat(249))).toBeUndefined();
    expect(topicProblem('a'.repeat(250))).toMatch(/at most 249/);
    expect(topicProblem('.')).toMatch(/reserved/);
    expect(topicProblem('..')).toMatch(/reserved/);
    expect(bad('topics', "a';process.exit(1);//")).toMatch(/may only contain letters, digits/);
    expect(bad('topics', 'a b')).toMatch(/may only contain/);
    expect(bad('topics', ' , ')).toMatch(/at least one topic/);
    expect(bad('topics', 'a,a')).toMatch(/listed twice/);
  });

  it('validates brokers as host:port lists', () => {
    expect(checkField('brokers', 'localhost:9092, kafka-1.internal:19092,kafka_2.svc:9092')).toEqual({
      ok: true,
      value: ['localhost:9092', 'kafka-1.internal:19092', 'kafka_2.svc:9092'],
    });
    expect(bad('brokers', '[::1]:9092')).toMatch(/IPv6 addresses are not supported by KafkaJS/);
    expect(bad('brokers', '::1:9092')).toMatch(/IPv6/);
    expect(bad('brokers', 'localhost')).toMatch(/host:port/);
    expect(bad('brokers', 'localhost:99999')).toMatch(/port outside/);
    expect(bad('brokers', 'local host:1')).toMatch(/invalid host/);
    expect(bad('brokers', "x';rm -rf /;'x:1")).toMatch(/invalid host/);
  });

  it('takes max retries as a whole number >= 0', () => {
    expect(checkField('maxRetries', '0')).toEqual({ ok: true, value: 0 });
    expect(checkField('maxRetries', 7)).toEqual({ ok: true, value: 7 });
    for (const raw of ['-1', '1.5', 'three', '', '1e3'])
      expect(bad('maxRetries', raw)).toMatch(/whole number/);
  });

  it('offers three commit strategies', () => {
    expect(bad('commit', 'sometimes')).toBe(
      'the commit strategy must be one of per-message, per-batch, interval',
    );
  });

  it('turns "none" into no DLQ and refuses a source topic as the DLQ', () => {
    expect(checkField('dlqTopic', 'none')).toEqual({ ok: true, value: null });
    expect(checkField('dlqTopic', 'NONE')).toEqual({ ok: true, value: null });
    expect(bad('dlqTopic', 'orders', { topics: ['orders'] })).toMatch(/cannot be one of the source topics/);
    expect(bad('dlqTopic', 'x y')).toMatch(/dead-letter topic/);
  });

  it('refuses a target folder escaping the workspace', () => {
    expect(bad('dir', '../elsewhere')).toMatch(/may not contain/);
  });

  it('gives prompts and flags the same message', () => {
    const questions = buildQuestions({}) as {
      name: FieldKey;
      validate: (input: unknown, answers?: object) => unknown;
    }[];
    const cases: [FieldKey, string, Record<string, unknown>][] = [
      ['name', 'Bad_Name', {}],
      ['topics', "a';process.exit(1);//", {}],
      ['brokers', 'nohost', {}],
      ['maxRetries', '-2', {}],
      ['dlqTopic', 'orders', { name: 'x', topics: 'orders' }],
    ];
    for (const [key, input, answers] of cases) {
      const question = questions.find((q) => q.name === key);
      const flagMessage = (() => {
        try {
          resolveAnswers({ name: 'x', topics: 'orders', ...answers, [key]: input }, { useDefaults: true });
          return 'accepted';
        } catch (error) {
          return (error as OptionsError).problem;
        }
      })();
      expect(question?.validate(input, answers)).toBe(flagMessage);
    }
  });

  it('does not prompt for values given as flags', () => {
    const names = (buildQuestions({ name: 'orders', commit: 'per-batch' }) as { name: string }[]).map(
      (q) => q.name,
    );
    expect(names).toEqual([
      'topics',
      'groupType',
      'groupId',
      'brokers',
      'ordering',
      'concurrency',
      'maxRetries',
      'retryTopics',
      'dlqTopic',
      'fromBeginning',
      'idempotency',
      'install',
    ]);
  });

  it('reads --retry-topics as increasing tier delays, normalised; none or empty means no tiers', () => {
    const tiers = (value: string) =>
      checkField('retryTopics', value, { topics: ['orders.placed'], groupId: 'billing' });
    expect(tiers('10s, 300000ms, 1h')).toEqual({ ok: true, value: ['10s', '5m', '1h'] });
    expect(tiers('none')).toEqual({ ok: true, value: [] });
    expect(tiers('')).toEqual({ ok: true, value: [] });
    expect(tiers('5m,10s')).toEqual({
      ok: false,
      message:
        'retry tier "10s" must be longer than the tier before it (5m): delays strictly increase, e.g. 10s,5m',
    });
    expect(tiers('soon')).toMatchObject({
      ok: false,
      message: expect.stringContaining('"soon" is not a delay'),
    });
    expect(tiers('50ms')).toEqual({ ok: false, message: 'retry tier "50ms" must be from 100ms to 168h' });
    expect(checkField('retryTopics', '10s', { topics: ['t'.repeat(235)], groupId: 'billing' })).toMatchObject(
      { ok: false, message: expect.stringContaining('at most 249') },
    );
  });
});
