import { describe, expect, it } from 'vitest';
import { ConfigError, createShareConsumer, noopLogger } from '../../src/index.js';
import { resolveOptions } from '../../src/options.js';

const base = {
  brokers: ['localhost:9092'],
  groupId: 'g',
  topics: ['t'],
  handler: async () => undefined,
  logger: noopLogger,
};

describe('share consumer options (one schema)', () => {
  it.each([
    ['commit', { commit: 'per-message' }, /commits no offsets/],
    ['ordering', { ordering: 'partition' }, /has no order/],
    ['fromBeginning', { fromBeginning: true }, /share\.auto\.offset\.reset/],
  ] as const)('refuses %s, naming what replaces it', (_name, extra, why) => {
    const error = (() => {
      try {
        createShareConsumer({ ...base, ...extra } as never);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.join('\n')).toMatch(why);
  });

  it('a share consumer runs unordered; a consumer keeps its defaults', () => {
    const share = resolveOptions({ ...base, groupType: 'share' });
    expect(share.ordering).toBe('unordered');
    const consumer = resolveOptions(base);
    expect([consumer.groupType, consumer.ordering, consumer.fromBeginning, consumer.commit.strategy]).toEqual(
      ['consumer', 'partition', false, 'per-batch'],
    );
  });
});
