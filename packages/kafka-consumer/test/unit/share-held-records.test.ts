import { describe, expect, it } from 'vitest';
import { HeldRecords } from '../../src/share/held-records.js';
import type { ShareRecord } from '../../src/share/records.js';

const id = { topicId: Buffer.alloc(16, 1), partition: 0 };
const delivery = (offset: string, deliveryCount: number): ShareRecord => ({
  topic: 't',
  partition: 0,
  offset,
  key: null,
  value: null,
  timestamp: '0',
  attributes: 0,
  headers: {},
  deliveryCount,
  lockExpiresAt: 0,
});

describe('HeldRecords', () => {
  it('a record redelivered to the same member is the later delivery: the earlier one acknowledges nothing (superseded), the later one its offset', () => {
    const held = new HeldRecords();
    const first = delivery('5', 1);
    held.add(id, [first]);
    const again = delivery('5', 2);
    held.add(id, [again]);
    const superseded: ShareRecord[] = [];
    expect(held.take([first], (r) => superseded.push(r))).toEqual([]);
    expect(superseded).toEqual([first]);
    expect(held.all()).toEqual([again]);
    expect(held.take([again])).toEqual([{ id, offsets: [5n] }]);
    expect(held.all()).toEqual([]);
    // A second acknowledgement of a taken record finds nothing and is not superseded.
    expect(held.take([again], (r) => superseded.push(r))).toEqual([]);
    expect(superseded).toEqual([first]);
  });
});
