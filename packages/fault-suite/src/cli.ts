/**
 * `pnpm test:faults`: every scenario under every commit strategy it declares, against a real
 * broker (KAFKAKIT_TEST_BROKERS, else a local KRaft JVM started here; scenario 10 always starts its own),
 * then the table. Exits 1 when any run failed. `--only 4,7` and `--strategy per-batch` narrow it.
 */
import { parseArgs } from 'node:util';
import { type KafkaHandle, parseBrokerList, startKafka } from '@kafkakit/kafka-testkit';
import { passed, type ScenarioResult } from './result.js';
import { runScenario } from './scenario.js';
import { ALL_SCENARIOS } from './scenarios/index.js';
import { formatTable } from './table.js';
import type { CommitStrategy } from './types.js';

// `pnpm test:faults -- --only 10` hands the `--` through: drop it so both forms work.
const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
const { values } = parseArgs({
  args,
  options: { only: { type: 'string' }, strategy: { type: 'string' } },
});
const only = values.only?.split(',').map(Number);
const strategies = values.strategy?.split(',') as CommitStrategy[] | undefined;

const kafka: KafkaHandle | undefined = process.env.KAFKAKIT_TEST_BROKERS
  ? undefined
  : await startKafka({ mode: 'local' });
const brokers = kafka?.brokers ?? parseBrokerList(process.env.KAFKAKIT_TEST_BROKERS ?? '');
process.stdout.write(
  `fault suite against ${brokers.join(',')} (${kafka ? `local broker pid ${kafka.pid}` : 'KAFKAKIT_TEST_BROKERS'})\n`,
);

const results: ScenarioResult[] = [];
try {
  for (const def of ALL_SCENARIOS()) {
    if (only !== undefined && !only.includes(def.id)) continue;
    for (const strategy of def.strategies) {
      if (strategies !== undefined && !strategies.includes(strategy)) continue;
      const result = await runScenario(def, strategy, brokers);
      results.push(result);
      process.stdout.write(
        `${passed(result) ? 'PASS' : 'FAIL'} ${def.id} ${def.title} [${strategy}] in ${(result.durationMs / 1000).toFixed(1)} s\n`,
      );
      for (const c of result.criteria) if (!c.ok) process.stdout.write(`     ${c.name}: ${c.detail}\n`);
      if (result.error !== undefined) process.stdout.write(`     error: ${result.error}\n`);
    }
  }
} finally {
  await kafka?.stop();
}
process.stdout.write(`\n${formatTable(results)}\n`);
process.exitCode = results.length > 0 && results.every(passed) ? 0 : 1;
