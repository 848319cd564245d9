import { randomInt } from 'node:crypto';
import { createPostgresInbox } from '@kafkakit/kafka-consumer/postgres';
import { startPostgres } from '@kafkakit/kafka-testkit';
import pg from 'pg';
import { readDeadLetters } from '../dlq.js';
import { criterion } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import { STRATEGIES } from '../types.js';
import { describeExit, startLoad, stopChild, waitCompletions, waitHandled } from './steps.js';

const PARTITIONS = 3;

interface EffectCounts {
  rows: number;
  distinct: number;
  missing: number;
}

async function effectCounts(pool: pg.Pool, acked: readonly { id: string }[]): Promise<EffectCounts> {
  const { rows } = await pool.query<{ rows: string; distinct: string }>(
    'select count(*) as rows, count(distinct id) as distinct from effects',
  );
  const present = await pool.query<{ id: string }>('select distinct id from effects where id = any($1)', [
    acked.map((m) => m.id),
  ]);
  return {
    rows: Number(rows[0]?.rows ?? 0),
    distinct: Number(rows[0]?.distinct ?? 0),
    missing: acked.length - (present.rowCount ?? 0),
  };
}

/**
 * 16. Effectively once: the handler writes its effect through the PostgreSQL inbox while the consumer
 * is SIGKILLed `killCount` times with the producer running. The effects table must hold exactly one
 * row per acknowledged message (0 lost, 0 duplicate effects) while the ledger shows that Kafka did
 * redeliver (handler calls repeated, or messages the inbox skipped): the precondition.
 */
export function inboxSigkill(killCount = 3): ScenarioDefinition {
  return {
    id: 16,
    title: `inbox: SIGKILL x${killCount} + producer`,
    strategies: STRATEGIES,
    run: async (ctx) => {
      const postgres = await startPostgres();
      const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
      pool.on('error', () => undefined);
      try {
        await pool.query('drop table if exists effects; drop table if exists kafka_inbox');
        await pool.query('create table effects (id text not null)');
        await createPostgresInbox({ pool, retention: false }).migrate();
        const load = await startLoad(ctx, 'fault-inbox', { partitions: PARTITIONS, perTick: 10, delayMs: 1 });
        const config = { ...load.config, inbox: { url: postgres.url, effects: 'effects' } };
        const kills: string[] = [];
        for (let i = 0; i < killCount; i++) {
          const child = ctx.child(config);
          await child.ready;
          const now = ctx.ledger().filter((e) => e.ev === 'done').length;
          await waitCompletions(ctx, now + randomInt(20, 400), 60_000);
          kills.push(describeExit(await stopChild(child, 'SIGKILL')));
        }
        const acked = await load.producer.stop();
        const last = ctx.child(config);
        await last.ready;
        await waitHandled(ctx, acked, 120_000);
        const final = await stopChild(last, 'SIGTERM');
        const effects = await effectCounts(pool, acked);
        const skipped = ctx.ledger().filter((e) => e.ev === 'skipped').length;
        return {
          acked,
          dlq: await readDeadLetters(ctx.brokers, `${load.topic}.dlq`),
          samples: await load.sampler.stop(),
          notes: `effects ${effects.rows} (distinct ${effects.distinct}), dup effects ${effects.rows - effects.distinct}, skipped ${skipped}`,
          judge: (m) => [
            criterion(
              'Kafka redelivered (handler calls repeated or skipped by the inbox)',
              m.duplicates + m.redeliveredInFlight + skipped > 0,
              `${m.duplicates} repeated completions, ${m.redeliveredInFlight} re-inflight, ${skipped} skipped`,
            ),
          ],
          criteria: [
            criterion(`${kills.length} SIGKILLs while producing`, kills.length > 0, kills.join('; ')),
            criterion(
              'effects = acknowledged',
              effects.distinct === acked.length,
              `${effects.distinct} of ${acked.length}`,
            ),
            criterion(
              '0 duplicate effects',
              effects.rows === effects.distinct,
              `${effects.rows - effects.distinct}`,
            ),
            criterion('0 lost effects', effects.missing === 0, `${effects.missing}`),
            criterion('last consumer exits 0', final.exit.code === 0, describeExit(final)),
          ],
        };
      } finally {
        await pool.end();
        await postgres.stop();
      }
    },
  };
}
