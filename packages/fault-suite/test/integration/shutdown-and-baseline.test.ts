import { describe, inject, it } from 'vitest';
import { runScenario } from '../../src/scenario.js';
import { baseline } from '../../src/scenarios/s01-baseline.js';
import { sigtermMidStream } from '../../src/scenarios/s02-sigterm.js';
import { sigtermHungHandler } from '../../src/scenarios/s03-hung-handler.js';
import { expectPass } from './expect-pass.js';

const brokers = () => inject('kafkaBrokers');

describe('fault scenarios against the real broker: baseline and shutdown', () => {
  it('1. baseline: 20k messages, 3 partitions, 0 lost, 0 duplicates, committed = end offsets', async () => {
    expectPass(await runScenario(baseline(20_000), 'per-batch', brokers()));
  }, 180_000);

  it.each([
    'per-message',
    'per-batch',
    'interval',
  ] as const)('2. SIGTERM mid-stream (%s): exit 0 in time, 0 lost, 0 duplicates after restart', async (strategy) => {
    expectPass(await runScenario(sigtermMidStream(30), strategy, brokers()));
  }, 120_000);

  it("1. baseline under 'key' ordering (concurrency 8): 0 lost, 0 duplicates, calls of one key never overlap", async () => {
    expectPass(await runScenario(baseline(20_000), 'per-batch', brokers(), 'key'));
  }, 180_000);

  it('3. SIGTERM while a handler hangs: exit code 70 after the drain timeout, redelivered, 0 lost', async () => {
    expectPass(await runScenario(sigtermHungHandler(20), 'per-batch', brokers()));
  }, 120_000);
});
