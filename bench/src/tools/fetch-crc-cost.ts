/**
 * What the runtime's CRC32C check of fetched batches costs next to KafkaJS's own decoding of the
 * same Fetch response: `pnpm exec tsx src/tools/fetch-crc-cost.ts` (from bench/). Builds v11 responses
 * as the bench's datasets come back from the broker (3 partitions x 1 MB, batches of ~667 records of
 * 100 B or 1 KB, uncompressed), then times KafkaJS's decode and the check on them, alternating.
 */
import { createRequire } from 'node:module';
import { scanFetchResponse } from '../../../packages/kafka-consumer/src/client/kafkajs-patches/batch-crc.js';
import {
  crc32cImplementation,
  crc32cJs,
} from '../../../packages/kafka-consumer/src/client/kafkajs-patches/crc32c.js';

const require = createRequire(import.meta.url);
const kafkajs = (path: string) => require(require.resolve(`kafkajs/${path}`, { paths: [process.cwd()] }));
const { RecordBatch } = kafkajs('src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (b: Record<string, unknown>) => Promise<{ buffer: Buffer }>;
};
const encodeRecord = kafkajs('src/protocol/recordBatch/record/v0/index.js') as (r: object) => unknown;
const { decode } = kafkajs('src/protocol/requests/fetch/v11/response.js') as {
  decode: (raw: Buffer) => Promise<unknown>;
};

async function recordSet(valueSize: number, bytes: number): Promise<{ set: Buffer; messages: number }> {
  const batches: Buffer[] = [];
  let size = 0;
  let offset = 0;
  while (size < bytes) {
    const records = Array.from({ length: 667 }, (_, i) =>
      encodeRecord({ offsetDelta: i, key: null, value: Buffer.alloc(valueSize, 97 + (i % 26)) }),
    );
    const { buffer } = await RecordBatch({ firstOffset: String(offset), lastOffsetDelta: 666, records });
    batches.push(buffer);
    size += buffer.length;
    offset += 667;
  }
  return { set: Buffer.concat(batches).subarray(0, bytes), messages: Math.floor(offset * (bytes / size)) };
}

function response(topic: string, sets: Buffer[]): Buffer {
  const name = Buffer.from(topic);
  const head = Buffer.alloc(16);
  head.writeInt32BE(1, 10);
  head.writeInt16BE(name.length, 14);
  const count = Buffer.alloc(4);
  count.writeInt32BE(sets.length);
  const parts = sets.flatMap((set, partition) => {
    const p = Buffer.alloc(46 - 4);
    p.writeInt32BE(partition, 0);
    p.writeInt32BE(-1, 30);
    p.writeInt32BE(-1, 34);
    p.writeInt32BE(set.length, 38);
    return [p, set];
  });
  return Buffer.concat([head, name, count, ...parts]);
}

const time = async (rounds: number, f: () => unknown) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await f();
  return Number(process.hrtime.bigint() - start) / rounds / 1000;
};

for (const valueSize of [100, 1024]) {
  const sets = await Promise.all([0, 1, 2].map(() => recordSet(valueSize, 1 << 20)));
  const raw = response(
    'bench',
    sets.map((s) => s.set),
  );
  const messages = sets.reduce((n, s) => n + s.messages, 0);
  const checked = () => scanFetchResponse(raw, () => true).corrupt;
  if (checked()) throw new Error('the generated batches should check out');
  for (let i = 0; i < 20; i++) {
    await decode(raw);
    checked();
  }
  // The JavaScript fallback over the same bytes (what a platform without the native binary pays).
  const javascript = () => sets.reduce((x, s) => x ^ crc32cJs(s.set), 0);
  let decodeUs = 0;
  let checkUs = 0;
  let jsUs = 0;
  for (let round = 0; round < 10; round++) {
    decodeUs += await time(5, () => decode(raw));
    checkUs += await time(5, checked);
    jsUs += await time(2, javascript);
  }
  decodeUs /= 10;
  checkUs /= 10;
  jsUs /= 10;
  process.stdout.write(
    `${valueSize} B values: ${messages} messages in ${(raw.length / 1e6).toFixed(1)} MB; KafkaJS decode ` +
      `${decodeUs.toFixed(0)} us (${(decodeUs / messages).toFixed(3)} us/msg), CRC check ${checkUs.toFixed(0)} us ` +
      `(${(checkUs / messages).toFixed(3)} us/msg, ${((raw.length / checkUs) * 1e-3).toFixed(2)} GB/s), ` +
      `check/decode ${(checkUs / decodeUs).toFixed(3)} [${crc32cImplementation}]; JavaScript fallback ` +
      `${(jsUs / messages).toFixed(3)} us/msg (${((raw.length / jsUs) * 1e-3).toFixed(2)} GB/s)\n`,
  );
}
