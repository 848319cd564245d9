import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KafkaHandle, startKafka, waitFor } from '@kafkakit/kafka-testkit';
import { readDeadLetters } from '../dlq.js';
import { produceNumbered } from '../producer.js';
import { criterion, noCommittedDuplicates } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import { type CommitStrategy, STRATEGIES } from '../types.js';
import { describeExit, scheduleDelay, stopChild, waitCompletions, waitHandled } from './steps.js';

export type OutageKind = 'restart' | 'sigstop';
const OUTAGE_MS = 20_000;

/**
 * 10. The broker goes away for 20 s mid-consumption: either stopped and restarted by the test kit
 * on the same port and data ('restart'), or frozen with SIGSTOP/SIGCONT ('sigstop'). It uses a
 * broker of its own (a local KRaft JVM). The consumer recovers without a process restart; 0 lost.
 */
export function brokerOutage(
  kind: OutageKind,
  strategies: readonly CommitStrategy[] = STRATEGIES,
  perPartition = 300,
): ScenarioDefinition {
  let kafka: KafkaHandle | undefined;
  let dataDir = '';
  return {
    id: 10,
    title: kind === 'restart' ? 'broker stop/restart 20 s' : 'broker SIGSTOP 20 s',
    strategies,
    setup: async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'kafkakit-fault-broker-'));
      kafka = await startKafka({ mode: 'local', dataDir });
      return {
        brokers: kafka.brokers,
        teardown: async () => {
          await kafka?.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
    run: async (ctx) => {
      const topic = await ctx.topic('fault-outage', 3);
      ctx.owns(`${topic}.dlq`);
      const acked = await produceNumbered(ctx.brokers, topic, 3, perPartition);
      const sampler = await ctx.sampler(topic);
      // The same pace under every ordering (~100 messages/s): 'key' runs 8 calls at once, each 8x
      // slower. (The consumer may finish the backlog it fetched before the outage without the
      // broker; messages produced after the outage prove the same process consumes again.)
      const keyed = ctx.ordering !== 'partition';
      const child = ctx.child(ctx.childConfig(topic, { behaviour: { delayMs: keyed ? 80 : 10 } }));
      await child.ready;
      await waitCompletions(ctx, Math.floor(acked.length / 5), 60_000);
      const handle = kafka as KafkaHandle;
      // Work left when the broker goes away. What the consumer does meanwhile is its own business:
      // it may finish what it had fetched (the runtime keeps processing through a lost coordinator).
      const doneAtOutage = ctx.completedIds().size;
      const backlog = acked.length;
      const port = Number(handle.brokers[0]?.split(':')[1]);
      if (kind === 'sigstop') {
        await handle.pause?.();
        await scheduleDelay(OUTAGE_MS);
        await handle.resume?.();
      } else {
        await handle.stop({ keepData: true });
        await scheduleDelay(OUTAGE_MS);
        kafka = await startKafka({ mode: 'local', port, dataDir });
      }
      const back = Date.now();
      acked.push(...(await produceNumbered(ctx.brokers, topic, 3, 10, perPartition)));
      await waitHandled(ctx, acked, 120_000).catch(async (error: unknown) => {
        child.signal('SIGUSR2'); // the child prints its health report into its log: evidence for the report
        await waitFor(() => readFileSync(join(ctx.workDir, 'child-1.log'), 'utf8').includes('HEALTH'), {
          timeoutMs: 5000,
        }).catch(() => undefined);
        throw error;
      });
      const survived = child.isRunning();
      const afterwards = ctx
        .ledger()
        .filter((e) => e.ev === 'done' && e.pid === child.pid && e.ts >= back).length;
      const stop = await stopChild(child, 'SIGTERM');
      return {
        acked,
        dlq: await readDeadLetters(ctx.brokers, `${topic}.dlq`),
        samples: await sampler.stop(),
        judge: (m) => [noCommittedDuplicates(m)],
        criteria: [
          criterion(
            'outage hit mid-consumption',
            doneAtOutage < backlog,
            `${doneAtOutage}/${backlog} done when the broker went away`,
          ),
          criterion(
            'same process recovered (no restart)',
            survived && afterwards > 0,
            `alive ${survived}, ${afterwards} completions by pid ${child.pid} after the broker came back`,
          ),
          criterion('clean exit 0', stop.exit.code === 0, describeExit(stop)),
        ],
      };
    },
  };
}
