import { describe, expect, it } from 'vitest';
import { parseTopicsArg } from '../../src/topics-arg.js';

describe('pnpm kafka --topics', () => {
  it('reads names with an optional partition count (1 unless given)', () => {
    expect(parseTopicsArg('orders.placed, orders.refunded:3,')).toEqual([
      { topic: 'orders.placed', partitions: 1 },
      { topic: 'orders.refunded', partitions: 3 },
    ]);
  });

  it.each([
    ['', 'name at least one topic'],
    ['a b', 'is not <topic>[:<partitions>]'],
    ['a:0', 'whole number from 1 to 10000'],
    ['a:2:3', 'is not <topic>[:<partitions>]'],
    ['a,a:2', 'a is listed twice'],
    ['..', 'is not <topic>'],
  ])('refuses %j naming the problem', (raw, problem) => {
    expect(() => parseTopicsArg(raw)).toThrow(problem);
  });
});
