import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { AcknowledgeType, toBatches } from '../../src/share/acknowledgement-batches.js';
import { shareGroupHeartbeat } from '../../src/share/heartbeat-api.js';
import { PendingAcks, settle } from '../../src/share/pending-acks.js';
import { partitionRecords } from '../../src/share/records.js';
import {
  newDecoder,
  newEncoder,
  readCompactBytes,
  skipTags,
  writeCompactArray,
} from '../../src/share/wire.js';

const require = createRequire(import.meta.url);
const { RecordBatch: encodeBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (batch: Record<string, unknown>) => Promise<{ buffer: Buffer }>;
};
const encodeRecord: (
  record: Record<string, unknown>,
) => unknown = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');

const { ACCEPT, RELEASE, REJECT, GAP } = AcknowledgeType;

describe('share acknowledgement batches', () => {
  it('one batch per run of consecutive offsets, one type when the run agrees', () => {
    const acks = new Map([
      [7n, ACCEPT],
      [5n, ACCEPT],
      [6n, ACCEPT],
      [10n, RELEASE],
      [11n, REJECT],
    ] as const);
    expect(toBatches(new Map(acks))).toEqual([
      { firstOffset: 5n, lastOffset: 7n, types: [ACCEPT] },
      { firstOffset: 10n, lastOffset: 11n, types: [RELEASE, REJECT] },
    ]);
  });

  it('pending acknowledgements settle their callers: resolved, or rejected with the partition error', async () => {
    const pending = new PendingAcks();
    const p0 = { topicId: Buffer.alloc(16, 1), partition: 0 };
    const p1 = { topicId: Buffer.alloc(16, 1), partition: 1 };
    const ok = pending.add(p0, [1n, 2n], ACCEPT);
    const refused = pending.add(p1, [9n], ACCEPT);
    expect(pending.size).toBe(3);
    const taken = pending.take();
    expect(pending.size).toBe(0);
    settle(taken, (p) => (p.partition === 1 ? new Error('INVALID_RECORD_STATE') : undefined));
    await expect(ok).resolves.toBeUndefined();
    await expect(refused).rejects.toThrow('INVALID_RECORD_STATE');
  });
});

describe('flexible-version framing', () => {
  it('ShareGroupHeartbeat v1 body: header tags, compact strings, nullable rack and topics, tags', async () => {
    const request = shareGroupHeartbeat({
      groupId: 'g',
      memberId: 'm',
      memberEpoch: 0,
      rackId: null,
      subscribedTopicNames: ['t'],
    });
    expect(request.request.apiKey).toBe(76);
    const body = (await request.request.encode()) as unknown as { buffer: Buffer };
    // 00 header tags | 02 'g' | 02 'm' | epoch 0 | 00 rack null | 02 (1 topic) 02 't' | 00 tags
    expect(body.buffer.toString('hex')).toBe('00' + '0267' + '026d' + '00000000' + '00' + '020274' + '00');
  });

  it('compact bytes and skipped tagged fields read exactly their length (KafkaJS reads one byte too many)', () => {
    const e = newEncoder();
    e.writeUVarInt(4).writeBuffer(Buffer.from('abc')); // compact bytes: length + 1
    e.writeUVarInt(1).writeUVarInt(0).writeUVarInt(2).writeBuffer(Buffer.from('zz')); // one tagged field of 2 bytes
    writeCompactArray(e, [7], (w, n) => w.writeInt32(n));
    const d = newDecoder((e as unknown as { buffer: Buffer }).buffer);
    expect(readCompactBytes(d)?.toString()).toBe('abc');
    skipTags(d);
    expect(d.readUVarInt()).toBe(2);
    expect(d.readInt32()).toBe(7);
  });
});

describe('share fetch records', () => {
  it('hands out only acquired offsets with their delivery count; acquired offsets without a record are gaps', async () => {
    const records = [0, 1, 2, 3].map((i) => encodeRecord({ offsetDelta: i, value: Buffer.from(`v${i}`) }));
    const batch = await encodeBatch({ firstOffset: '100', lastOffsetDelta: 3, records });
    const acquired = [
      { firstOffset: 101n, lastOffset: 102n, deliveryCount: 3 },
      { firstOffset: 104n, lastOffset: 104n, deliveryCount: 1 },
    ];
    const out = await partitionRecords('t', 0, batch.buffer, acquired, 1234);
    expect(out.records.map((r) => [r.offset, r.value?.toString(), r.deliveryCount, r.lockExpiresAt])).toEqual(
      [
        ['101', 'v1', 3, 1234],
        ['102', 'v2', 3, 1234],
      ],
    );
    expect(out.gaps).toEqual([104n]);
    expect(out.undecodable).toBeUndefined();
    expect(GAP).toBe(0);
  });

  it('a batch with a bad CRC is undecodable: its acquired offsets are reported, nothing is handed out', async () => {
    const batch = await encodeBatch({
      firstOffset: '0',
      records: [encodeRecord({ value: Buffer.from('x') })],
    });
    const bytes = Buffer.from(batch.buffer);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 0xff, bytes.length - 2);
    const out = await partitionRecords(
      't',
      0,
      bytes,
      [{ firstOffset: 0n, lastOffset: 0n, deliveryCount: 1 }],
      0,
    );
    expect(out.records).toEqual([]);
    expect(out.undecodable?.offsets).toEqual([0n]);
  });

  it('decodes only acquired records: batches before and after them are skipped, a gzip batch is read up to the last acquired offset', async () => {
    const rec = (i: number, base: number) =>
      encodeRecord({ offsetDelta: i - base, value: Buffer.from(`v${i}`), headers: { h: `x${i}` } });
    const before = await encodeBatch({
      firstOffset: '0',
      lastOffsetDelta: 1,
      records: [rec(0, 0), rec(1, 0)],
    });
    const gzip = await encodeBatch({
      compression: 1,
      firstOffset: '2',
      lastOffsetDelta: 3,
      records: [2, 3, 4, 5].map((i) => rec(i, 2)),
    });
    // The batch after the acquired offsets carries a bad CRC: it is never looked at.
    const after = Buffer.from((await encodeBatch({ firstOffset: '6', records: [rec(6, 6)] })).buffer);
    after.writeUInt8(after.readUInt8(after.length - 2) ^ 0xff, after.length - 2);
    const bytes = Buffer.concat([before.buffer, gzip.buffer, after]);
    const out = await partitionRecords(
      't',
      0,
      bytes,
      [{ firstOffset: 3n, lastOffset: 4n, deliveryCount: 2 }],
      0,
    );
    expect(
      out.records.map((r) => [r.offset, r.value?.toString(), r.headers.h?.toString(), r.deliveryCount]),
    ).toEqual([
      ['3', 'v3', 'x3', 2],
      ['4', 'v4', 'x4', 2],
    ]);
    expect(out.gaps).toEqual([]);
    expect(out.undecodable).toBeUndefined();
  });
});
