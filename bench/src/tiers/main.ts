// `pnpm bench:tiers`: what 1 % of failing messages cost the other 99 %. One partition, a 1 ms
// handler, ordering 'partition'; 1 % fail twice then succeed, through retry tiers (1s, 2s) against
// in-place retries (backoff 100 ms, 200 ms), against a run without failures: same run, same broker,
// rounds alternating. See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafka, uniqueName } from '@kafkakit/kafka-testkit';
import { describeMachine, load } from '../environment.js';
import { createReadyTopic, writeSeed } from '../seed.js';
import { median } from '../stats.js';
import { CONTENDERS, HANDLER_MS, runRound, type TiersRound } from './round.js';

const MESSAGES = Number(process.env.BENCH_TIERS_MESSAGES ?? 5000);
const ROUNDS = Number(process.env.BENCH_TIERS_ROUNDS ?? 3);
/** Handler calls in flight: 1 (the default) runs the tier partitions' calls in the source's one slot. */
const CONCURRENCY = Number(process.env.BENCH_TIERS_CONCURRENCY ?? 1);
const log = (line: string) => process.stdout.write(`${line}\n`);

const startedAt = new Date();
const loadBefore = load();
const kafka = await startKafka({ mode: process.env.KAFKAKIT_TEST_BROKERS ? undefined : 'local', heap: '1g' });
log(`Kafka ${kafka.version} (${kafka.mode})`);
try {
  const topic = `bench-tiers-${uniqueName('t')}`;
  await createReadyTopic(kafka.brokers, topic, 1);
  await writeSeed(kafka.brokers, topic, MESSAGES, (i) => ({
    key: `k${i % 100}`,
    value: Buffer.from(String(i).padStart(10, '0') + 'x'.repeat(90), 'latin1'),
    partition: 0,
  }));
  log(`seeded ${MESSAGES} x 100 B, 1 partition`);
  const rounds: TiersRound[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const contender of round % 2 === 1 ? CONTENDERS : [...CONTENDERS].reverse()) {
      const r = await runRound(
        { brokers: kafka.brokers, topic, messages: MESSAGES, round, concurrency: CONCURRENCY },
        contender,
      );
      rounds.push(r);
      log(
        `round ${round} ${r.contender}: the 99 % at ${Math.round(r.othersPerSec)} msg/s (${r.othersSeconds.toFixed(2)} s), all done in ${r.allSeconds.toFixed(2)} s, failing done ${r.failingDone}`,
      );
    }
  }
  const summary = CONTENDERS.map((c) => {
    const mine = rounds.filter((r) => r.contender === c.id);
    return {
      contender: c.id,
      title: c.title,
      othersPerSec: median(mine.map((r) => r.othersPerSec)),
      allSeconds: median(mine.map((r) => r.allSeconds)),
    };
  });
  const base = summary.find((s) => s.contender === 'no-failures')?.othersPerSec ?? 1;
  const tiers = (summary.find((s) => s.contender === 'tiers')?.othersPerSec ?? 0) / base;
  const loadAfter = load();
  const lines = [
    `## Retry tiers bench (${startedAt.toISOString()})`,
    '',
    `${HANDLER_MS} ms handler, one partition, ordering partition, concurrency ${CONCURRENCY}, per-batch commits, ${MESSAGES} messages per round (1 % fail twice, then succeed), ${ROUNDS} rounds each (medians), load ${loadBefore.join(' ')} -> ${loadAfter.join(' ')}`,
    '',
    '| contender | the other 99 %: msg/s | vs no failures | every message done (s) |',
    '| --- | --- | --- | --- |',
    ...summary.map(
      (s) =>
        `| ${s.title} | ${Math.round(s.othersPerSec)} | ${(s.othersPerSec / base).toFixed(2)}x | ${s.allSeconds.toFixed(2)} |`,
    ),
    '',
    `Target: the other 99 % with tiers >= 0.9x of no failures: ${tiers >= 0.9 ? 'met' : 'NOT met'} (${tiers.toFixed(2)}x).`,
  ];
  log(`\n${lines.join('\n')}`);
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const json = {
    startedAt,
    machine: describeMachine(),
    loadBefore,
    loadAfter,
    rounds,
    summary,
    ratio: tiers,
  };
  writeFileSync(join(dir, `tiers-${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(dir, `tiers-${stamp}.md`), `${lines.join('\n')}\n`);
} finally {
  await kafka.stop();
}
