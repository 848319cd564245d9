// `pnpm bench:share`: Kafka as a queue. One partition, a 5 ms handler: one, two and three share
// consumers (createShareConsumer, concurrency 1 each, one process each) against one consumer-group
// consumer with 'partition' ordering (concurrency 1) and with 'key' ordering (concurrency 8, 32 keys);
// same run, same broker, rounds alternating. msg/s and CPU per message. See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafka } from '@kafkakit/kafka-testkit';
import { describeMachine, load } from '../environment.js';
import { median } from '../stats.js';
import { runRound } from './round.js';
import type { Contender, ShareRound } from './types.js';

const MESSAGES = Number(process.env.BENCH_SHARE_MESSAGES ?? 2000);
const ROUNDS = Number(process.env.BENCH_SHARE_ROUNDS ?? 2);
const HANDLER_MS = 5;
const log = (line: string) => process.stdout.write(`${line}\n`);

const CONTENDERS: Contender[] = [
  {
    id: 'group-partition',
    title: 'consumer group, `partition` ordering',
    kind: 'partition',
    members: 1,
    concurrency: 1,
  },
  {
    id: 'group-key',
    title: 'consumer group, `key` ordering (concurrency 8)',
    kind: 'key',
    members: 1,
    concurrency: 8,
  },
  { id: 'share-1', title: '1 share consumer', kind: 'share', members: 1, concurrency: 1 },
  { id: 'share-2', title: '2 share consumers', kind: 'share', members: 2, concurrency: 1 },
  { id: 'share-3', title: '3 share consumers', kind: 'share', members: 3, concurrency: 1 },
];

const startedAt = new Date();
const loadBefore = load();
const kafka = await startKafka({ mode: process.env.KAFKAKIT_TEST_BROKERS ? undefined : 'local', heap: '1g' });
log(`Kafka ${kafka.version} (${kafka.mode}); ${MESSAGES} messages per round, ${ROUNDS} round(s)`);
try {
  const rounds: ShareRound[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of round % 2 === 1 ? CONTENDERS : [...CONTENDERS].reverse()) {
      const r = await runRound(
        { brokers: kafka.brokers, messages: MESSAGES, handlerMs: HANDLER_MS, round },
        c,
      );
      rounds.push(r);
      log(
        `round ${round} ${c.id}: ${Math.round(r.msgPerSec)} msg/s, ${Math.round(r.cpuUsPerMsg)} µs CPU/msg, per member ${r.perMember.join('/')}`,
      );
    }
  }
  const summary = CONTENDERS.map((c) => {
    const mine = rounds.filter((r) => r.contender === c.id);
    return {
      contender: c.id,
      title: c.title,
      msgPerSec: median(mine.map((r) => r.msgPerSec)),
      cpuUsPerMsg: median(mine.map((r) => r.cpuUsPerMsg)),
      perMember: mine.at(-1)?.perMember ?? [],
    };
  });
  const one = summary.find((s) => s.contender === 'share-1')?.msgPerSec ?? 1;
  const three = summary.find((s) => s.contender === 'share-3')?.msgPerSec ?? 0;
  const loadAfter = load();
  const lines = [
    `## Share-group bench (${startedAt.toISOString()})`,
    '',
    `One partition, ${HANDLER_MS} ms handler, ${MESSAGES} x 100 B (32 keys) per round produced after every member joined, ${ROUNDS} round(s) (medians); one process per member; Kafka ${kafka.version}; load ${loadBefore.join(' ')} -> ${loadAfter.join(' ')}`,
    '',
    '| contender | msg/s | vs 1 share consumer | CPU per message (all members) | per member |',
    '| --- | --- | --- | --- | --- |',
    ...summary.map(
      (s) =>
        `| ${s.title} | ${Math.round(s.msgPerSec)} | ${(s.msgPerSec / one).toFixed(2)}x | ${Math.round(s.cpuUsPerMsg)} µs | ${s.perMember.join(' / ')} |`,
    ),
    '',
    `Target: 3 share consumers >= 2.5x one: ${three / one >= 2.5 ? 'met' : 'NOT met'} (${(three / one).toFixed(2)}x).`,
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
    messages: MESSAGES,
    rounds,
    summary,
  };
  writeFileSync(join(dir, `share-${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(dir, `share-${stamp}.md`), `${lines.join('\n')}\n`);
} finally {
  await kafka.stop();
}
