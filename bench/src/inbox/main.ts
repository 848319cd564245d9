// `pnpm bench:inbox`: the PostgreSQL inbox's cost. A 1 ms handler that writes one row, `ordering: 'key'`,
// concurrency 32, with the inbox against the same handler writing the same row without it: same run,
// same broker, same durable PostgreSQL (fsync on), rounds alternating. See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafka, startPostgres, uniqueName } from '@kafkakit/kafka-testkit';
import pg from 'pg';
import { describeMachine, load } from '../environment.js';
import { createReadyTopic, writeSeed } from '../seed.js';
import { median } from '../stats.js';
import { contenders, HANDLER_MS, resetTables } from './contenders.js';
import { CONCURRENCY, type InboxRound, runRound } from './round.js';

const MESSAGES = Number(process.env.BENCH_INBOX_MESSAGES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_INBOX_ROUNDS ?? 5);
const PARTITIONS = 4;
const KEYS = 1000;
const log = (line: string) => process.stdout.write(`${line}\n`);

const startedAt = new Date();
const loadBefore = load();
const kafka = await startKafka({ mode: process.env.KAFKAKIT_TEST_BROKERS ? undefined : 'local', heap: '1g' });
const postgres = await startPostgres({ durable: true });
const pool = new pg.Pool({ connectionString: postgres.url, max: CONCURRENCY + 2 });
pool.on('error', () => undefined); // idle clients when the server stops at the end
log(`Kafka ${kafka.version} (${kafka.mode}); PostgreSQL ${postgres.version} (${postgres.mode}, durable)`);
try {
  const topic = `bench-inbox-${uniqueName('t')}`;
  await createReadyTopic(kafka.brokers, topic, PARTITIONS);
  await writeSeed(kafka.brokers, topic, MESSAGES, (i) => ({
    key: `k${String(i % KEYS).padStart(3, '0')}`,
    value: Buffer.alloc(100, 0x78),
    partition: i % PARTITIONS,
  }));
  log(`seeded ${MESSAGES} x 100 B, ${KEYS} keys, ${PARTITIONS} partitions`);
  const list = contenders(pool);
  const rounds: InboxRound[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const contender of round % 2 === 1 ? list : [...list].reverse()) {
      await resetTables(pool);
      const r = await runRound({ brokers: kafka.brokers, topic, pool, messages: MESSAGES, round }, contender);
      rounds.push(r);
      log(
        `round ${round} ${r.contender}: ${Math.round(r.msgPerSec)} msg/s, ${Math.round(r.dbCommitsPerSec)} db commits/s, ${r.rows} rows`,
      );
    }
  }
  await Promise.all(list.map((c) => c.close()));
  const summary = list.map((c) => {
    const mine = rounds.filter((r) => r.contender === c.id);
    return {
      contender: c.id,
      title: c.title,
      msgPerSec: median(mine.map((r) => r.msgPerSec)),
      dbCommitsPerSec: median(mine.map((r) => r.dbCommitsPerSec)),
      rowsEqualMessages: mine.every((r) => r.rows === MESSAGES),
    };
  });
  const row = summary.find((s) => s.contender === 'row');
  const inbox = summary.find((s) => s.contender === 'row+inbox');
  const ratio = (inbox?.msgPerSec ?? 0) / (row?.msgPerSec ?? 1);
  const loadAfter = load();
  const lines = [
    `## Inbox bench (${startedAt.toISOString()})`,
    '',
    `${HANDLER_MS} ms handler + one row, ordering key, concurrency ${CONCURRENCY}, ${MESSAGES} messages (${KEYS} keys, ${PARTITIONS} partitions) per round, ${ROUNDS} rounds each (medians); PostgreSQL ${postgres.version} durable (fsync, synchronous_commit on), load ${loadBefore.join(' ')} -> ${loadAfter.join(' ')}`,
    '',
    '| contender | msg/s | db commits/s | rows = messages | vs no inbox |',
    '| --- | --- | --- | --- | --- |',
    ...summary.map(
      (s) =>
        `| ${s.title} | ${Math.round(s.msgPerSec)} | ${Math.round(s.dbCommitsPerSec)} | ${s.rowsEqualMessages ? 'yes' : 'NO'} | ${(s.msgPerSec / (row?.msgPerSec ?? 1)).toFixed(2)}x |`,
    ),
    '',
    `Target: inbox >= 0.5x of no inbox: ${ratio >= 0.5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x).`,
  ];
  log(`\n${lines.join('\n')}`);
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const json = { startedAt, machine: describeMachine(), loadBefore, loadAfter, rounds, summary, ratio };
  writeFileSync(join(dir, `inbox-${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(dir, `inbox-${stamp}.md`), `${lines.join('\n')}\n`);
} finally {
  await pool.end();
  await Promise.all([kafka.stop(), postgres.stop()]);
}
