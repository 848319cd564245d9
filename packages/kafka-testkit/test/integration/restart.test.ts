import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { consumeAll, createTopic, produceMessages, startKafka } from '../../src/index.js';

describe('local broker restart', () => {
  it.runIf(inject('kafkaMode') === 'local')(
    'restarts on the same port and data and keeps the records written before the stop',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'kafkakit-restart-'));
      try {
        const first = await startKafka({ mode: 'local', dataDir });
        const port = Number(first.brokers[0]?.split(':')[1]);
        await createTopic(first.brokers, 'kept', 1);
        await produceMessages(first.brokers, 'kept', 3);
        await first.stop({ keepData: true });
        const second = await startKafka({ mode: 'local', port, dataDir });
        try {
          expect(second.brokers).toEqual(first.brokers);
          const records = await consumeAll(second.brokers, 'kept', 3);
          expect(records.map((r) => r.value?.toString())).toEqual(['m0', 'm1', 'm2']);
        } finally {
          await second.stop();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
