import { describe, expect, inject, it } from 'vitest';
import { runScenario } from '../../src/scenario.js';
import { sigtermMidStream } from '../../src/scenarios/s02-sigterm.js';
import { poisonMessage } from '../../src/scenarios/s08-poison.js';
import { expectPass } from './expect-pass.js';

const brokers = () => inject('kafkaBrokers');
const share = (def: Parameters<typeof runScenario>[0]) =>
  runScenario(def, 'per-batch', brokers(), 'unordered', undefined, 'share');

describe('fault scenarios under share groups (createShareConsumer)', () => {
  it('2. SIGTERM mid-stream: exit 0 in time, 0 lost, 0 duplicates (the drain accepts and releases)', async () => {
    const result = await share(sigtermMidStream(30));
    expectPass(result);
    expect(result.groupType).toBe('share');
    expect(result.metrics.completed).toBe(result.metrics.acked);
  }, 120_000);

  it('8. poison message: attempts 1, 2, 3 in place, one DLQ record, then accepted; the rest processed', async () => {
    expectPass(await share(poisonMessage(20)));
  }, 120_000);
});
