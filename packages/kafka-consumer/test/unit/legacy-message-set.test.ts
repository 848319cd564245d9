import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { tolerantFetchDecoder } from '../../src/client/kafkajs-patches/tolerant-fetch.js';

const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder.js');
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
const decodeMessageSet = require('kafkajs/src/protocol/messageSet/decoder.js');
const MessageSet = require('kafkajs/src/protocol/messageSet/index.js') as (args: {
  messageVersion: number;
  compression: number;
  entries: Array<{ key: Buffer; value: Buffer; timestamp: number }>;
}) => { buffer: Buffer };

/** A Fetch v11 response with one topic and one partition holding `recordSet`. */
function fetchResponse(topic: string, recordSet: Buffer): Buffer {
  const name = Buffer.from(topic);
  const head = Buffer.alloc(10 + 4 + 2);
  head.writeInt32BE(1, 10);
  head.writeInt16BE(name.length, 14);
  const partition = Buffer.alloc(4 + 4 + 2 + 8 + 8 + 8 + 4 + 4 + 4);
  partition.writeInt32BE(1, 0);
  partition.writeInt32BE(0, 4);
  partition.writeInt32BE(-1, 34);
  partition.writeInt32BE(-1, 38);
  partition.writeInt32BE(recordSet.length, 42);
  return Buffer.concat([head, name, partition, recordSet]);
}

describe('a fetch holding a v0/v1 message set (the old message format)', () => {
  it('is decoded by KafkaJS as before, not reported as undecodable', async () => {
    const failures: unknown[] = [];
    const decode = tolerantFetchDecoder({
      Decoder,
      decodeBatch,
      decodeMessageSet,
      checked: () => true,
      failed: (...args) => {
        failures.push(args);
        return [];
      },
    });
    for (const messageVersion of [0, 1]) {
      const set = MessageSet({
        messageVersion,
        compression: 0,
        entries: [
          { key: Buffer.from('a'), value: Buffer.from('legacy-1'), timestamp: 1 },
          { key: Buffer.from('b'), value: Buffer.from('legacy-2'), timestamp: 2 },
        ],
      }).buffer;
      const response = (await decode(fetchResponse('t', set))) as {
        responses: Array<{ partitions: Array<{ messages: Array<{ value: Buffer }> }> }>;
      };
      const messages = response.responses[0]?.partitions[0]?.messages ?? [];
      expect(messages.map((m) => m.value.toString())).toEqual(['legacy-1', 'legacy-2']);
    }
    expect(failures).toEqual([]);
  });
});
