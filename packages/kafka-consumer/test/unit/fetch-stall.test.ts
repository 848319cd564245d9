import { describe, expect, it } from 'vitest';
import { FetchStalls, type StallResponse } from '../../src/client/kafkajs-patches/fetch-stall.js';

const response = (partitions: Array<{ partition: number; hwm: string; lso?: string; errorCode?: number }>) =>
  ({
    responses: [
      {
        topicName: 'orders',
        partitions: partitions.map((p) => ({
          partition: p.partition,
          errorCode: p.errorCode ?? 0,
          highWatermark: p.hwm,
          lastStableOffset: p.lso ?? p.hwm,
          messages: [],
        })),
      },
    ],
  }) satisfies StallResponse;

const at =
  (offsets: Record<number, string>) =>
  (_topic: string, partition: number): string | undefined =>
    offsets[partition];
const all = () => true;

describe('a partition the broker answers with nothing', () => {
  it('is reported after three empty answers in a row at one offset below its records', () => {
    const stalls = new FetchStalls(3);
    const empty = response([{ partition: 0, hwm: '9' }]);
    expect(stalls.observe(empty, true, at({ 0: '3' }), all)).toEqual([]);
    expect(stalls.observe(empty, true, at({ 0: '3' }), all)).toEqual([]);
    expect(stalls.observe(empty, true, at({ 0: '3' }), all)).toEqual([
      { topic: 'orders', partition: 0, offset: '3', end: '9' },
    ]);
    // Counted afresh after a report (the partition is held; resumed, it needs three more).
    expect(stalls.observe(empty, true, at({ 0: '3' }), all)).toEqual([]);
  });

  it('is not reported when caught up, moving, answered with records or an error, throttled, or not watched', () => {
    const stalls = new FetchStalls(2);
    const caughtUp = response([{ partition: 0, hwm: '3' }]);
    for (let i = 0; i < 3; i++) expect(stalls.observe(caughtUp, true, at({ 0: '3' }), all)).toEqual([]);
    // Below the high watermark but at the last stable offset (an open transaction): nothing to read.
    const open = response([{ partition: 0, hwm: '9', lso: '3' }]);
    for (let i = 0; i < 3; i++) expect(stalls.observe(open, true, at({ 0: '3' }), all)).toEqual([]);
    const behind = response([{ partition: 0, hwm: '9' }]);
    // Another partition of the response had records (or it was throttled): the broker may have cut it.
    for (let i = 0; i < 3; i++) expect(stalls.observe(behind, false, at({ 0: '3' }), all)).toEqual([]);
    // The fetch offset moves: each offset counts on its own.
    expect(stalls.observe(behind, true, at({ 0: '3' }), all)).toEqual([]);
    expect(stalls.observe(behind, true, at({ 0: '4' }), all)).toEqual([]);
    // An answer that breaks the run starts it over.
    expect(stalls.observe(behind, false, at({ 0: '4' }), all)).toEqual([]);
    expect(stalls.observe(behind, true, at({ 0: '4' }), all)).toEqual([]);
    const failing = response([{ partition: 0, hwm: '9', errorCode: 1 }]);
    for (let i = 0; i < 3; i++) expect(stalls.observe(failing, true, at({ 0: '3' }), all)).toEqual([]);
    for (let i = 0; i < 3; i++) expect(stalls.observe(behind, true, at({ 0: '3' }), () => false)).toEqual([]);
  });
});
