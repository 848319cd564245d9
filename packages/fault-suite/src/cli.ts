/**
 * `pnpm test:faults`: every scenario under every commit strategy it declares, against a real
 * broker (KAFKAKIT_TEST_BROKERS, else a local KRaft JVM started here; scenario 10 always starts its own),
 * then the table. Exits 1 when any run failed. `--only 4,7` and `--strategy per-batch` narrow it;
 * `--group-type share` runs the scenarios that hold for share groups (1, 2, 4, 6, 8) once each on
 * createShareConsumer instead.
 */
import { parseArgs } from 'node:util';
import { type KafkaHandle, parseBrokerList, startKafka } from '@kafkakit/kafka-testkit';
import { passed, type ScenarioResult } from './result.js';
import { orderingsOf, runScenario } from './scenario.js';
import { ALL_SCENARIOS } from './scenarios/index.js';
import { formatTable } from './table.js';
import type { CommitStrategy, GroupType, Ordering } from './types.js';

// `pnpm test:faults -- --only 10` hands the `--` through: drop it so both forms work.
const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
const { values } = parseArgs({
  args,
  options: {
    only: { type: 'string' },
    strategy: { type: 'string' },
    ordering: { type: 'string' },
    'group-type': { type: 'string', default: 'consumer' },
  },
});
const groupType = values['group-type'] as GroupType;
if (groupType !== 'consumer' && groupType !== 'share')
  throw new Error(`--group-type must be consumer or share, not ${groupType}`);
const only = values.only?.split(',').map(Number);
const strategies = values.strategy?.split(',') as CommitStrategy[] | undefined;
const orderings = values.ordering?.split(',') as Ordering[] | undefined;

const kafka: KafkaHandle | undefined = process.env.KAFKAKIT_TEST_BROKERS
  ? undefined
  : await startKafka({ mode: 'local' });
const brokers = kafka?.brokers ?? parseBrokerList(process.env.KAFKAKIT_TEST_BROKERS ?? '');
process.stdout.write(
  `fault suite against ${brokers.join(',')} (${kafka ? `local broker pid ${kafka.pid}` : 'KAFKAKIT_TEST_BROKERS'})\n`,
);

const results: ScenarioResult[] = [];
function report(result: ScenarioResult, run: string): void {
  process.stdout.write(
    `${passed(result) ? 'PASS' : 'FAIL'} ${result.id} ${result.title} [${run}] in ${(result.durationMs / 1000).toFixed(1)} s\n`,
  );
  for (const c of result.criteria) if (!c.ok) process.stdout.write(`     ${c.name}: ${c.detail}\n`);
  if (result.error !== undefined) process.stdout.write(`     error: ${result.error}\n`);
}
try {
  for (const def of ALL_SCENARIOS()) {
    if (only !== undefined && !only.includes(def.id)) continue;
    if (groupType === 'share') {
      // One run each: a share group has no commit strategy and no ordering.
      if (def.share !== true) continue;
      const result = await runScenario(def, 'per-batch', brokers, 'unordered', undefined, 'share');
      results.push(result);
      report(result, 'share');
      continue;
    }
    for (const ordering of orderingsOf(def)) {
      if (orderings !== undefined && !orderings.includes(ordering)) continue;
      for (const strategy of def.strategies) {
        if (strategies !== undefined && !strategies.includes(strategy)) continue;
        const result = await runScenario(def, strategy, brokers, ordering);
        results.push(result);
        report(result, `${strategy}/${ordering}`);
      }
    }
  }
} finally {
  await kafka?.stop();
}
process.stdout.write(`\n${formatTable(results)}\n`);
process.exitCode = results.length > 0 && results.every(passed) ? 0 : 1;
