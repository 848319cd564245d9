import { describe, inject, it } from 'vitest';
import { runScenario } from '../../src/scenario.js';
import { coordinatorKill, leaderKill } from '../../src/scenarios/s13-failover.js';
import { expectPass } from './expect-pass.js';

describe('fault scenarios on a three-node cluster (short versions; pnpm test:faults runs them in full)', () => {
  it('13. the leader of a consumed partition is SIGKILLed and back after 5 s: 0 lost, same process, resumes', async () => {
    expectPass(await runScenario(leaderKill(['per-batch'], 5000, 250), 'per-batch', inject('kafkaBrokers')));
  }, 240_000);

  it('14. the coordinator node is SIGKILLed: the same member goes on at its successor within 10 s, no re-join, 0 lost', async () => {
    expectPass(
      await runScenario(coordinatorKill(['per-message'], 5000, 250), 'per-message', inject('kafkaBrokers')),
    );
  }, 240_000);
});
