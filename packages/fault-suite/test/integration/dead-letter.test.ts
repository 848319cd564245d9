import { describe, inject, it } from 'vitest';
import { runScenario } from '../../src/scenario.js';
import { poisonMessage } from '../../src/scenarios/s08-poison.js';
import { badPayloadsScenario } from '../../src/scenarios/s11-bad-payloads.js';
import { expectPass } from './expect-pass.js';

const brokers = () => inject('kafkaBrokers');

describe('fault scenarios against the real broker: dead-letter paths', () => {
  it('8. poison message, maxRetries 2: 3 calls, one faithful DLQ record, later messages processed', async () => {
    expectPass(await runScenario(poisonMessage(20), 'per-batch', brokers()));
  }, 120_000);

  it('11. bad payloads: decode errors to the DLQ with 0 retries, no crash, later messages fine', async () => {
    expectPass(await runScenario(badPayloadsScenario(), 'per-batch', brokers()));
  }, 120_000);
});
