import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { alterGroupConfig, uniqueName } from '@kafkakit/kafka-testkit';
import { createReadyTopic, writeSeed } from '../seed.js';
import { track } from '../spawn.js';
import type { Contender, MemberReport, MemberSpec, ShareRound } from './types.js';

const memberScript = fileURLToPath(new URL('./member.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
const KEYS = 32;
/** BENCH_CPU_PROF=<dir>: each member writes a --cpu-prof profile there (as in `pnpm bench`). */
const profile = () => {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
};

function startMember(spec: MemberSpec): { child: ChildProcess; latest: () => MemberReport | undefined } {
  const child = track(
    spawn(
      process.execPath,
      [...profile(), '--conditions=@kafkakit/source', '--import', tsxLoader, memberScript],
      {
        env: { ...process.env, BENCH_SHARE_SPEC: JSON.stringify(spec) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    ),
  );
  let latest: MemberReport | undefined;
  child.on('message', (m: MemberReport | { type: 'ready' }) => {
    if (m.type !== 'ready') latest = m;
  });
  return { child, latest: () => latest };
}

const until = (what: string, ok: () => boolean, timeoutMs: number) =>
  new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const timer = setInterval(() => {
      if (ok()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`bench:share: ${what} not within ${timeoutMs} ms`));
      }
    }, 50);
  });

/**
 * One round of one contender: a fresh one-partition topic and group; its members start and join,
 * then `messages` are produced (32 keys); msg/s from the first finished message (any member) to the
 * `messages`-th; CPU of all members over the window, per message.
 */
export async function runRound(
  args: { brokers: string[]; messages: number; handlerMs: number; round: number },
  contender: Contender,
): Promise<ShareRound> {
  const topic = uniqueName(`bench-share-${contender.id}`);
  const groupId = uniqueName(`bench-share-${contender.id}`);
  await createReadyTopic(args.brokers, topic, 1);
  if (contender.kind === 'share')
    await alterGroupConfig(args.brokers, groupId, { 'share.auto.offset.reset': 'earliest' });
  const spec: MemberSpec = {
    kind: contender.kind,
    brokers: args.brokers,
    topic,
    groupId,
    concurrency: contender.concurrency,
    handlerMs: args.handlerMs,
  };
  const members = Array.from({ length: contender.members }, () => startMember(spec));
  let ready = 0;
  for (const m of members) m.child.on('message', (x: { type: string }) => x.type === 'ready' && ready++);
  try {
    await until('members ready', () => ready === members.length, 60_000);
    await writeSeed(args.brokers, topic, args.messages, (i) => ({
      key: `k${i % KEYS}`,
      value: Buffer.alloc(100, 0x78),
      partition: 0,
    }));
    const total = () => members.reduce((n, m) => n + (m.latest()?.count ?? 0), 0);
    await until(`${args.messages} messages`, () => total() >= args.messages, 300_000);
    const finals = await Promise.all(
      members.map(
        (m) =>
          new Promise<MemberReport>((resolve) => {
            m.child.on('message', (x: MemberReport) => x.type === 'final' && resolve(x));
            m.child.send({ type: 'stop' });
          }),
      ),
    );
    const active = finals.filter((f) => f.count > 0);
    const first = Math.min(...active.map((f) => f.firstAt));
    const last = Math.max(...active.map((f) => f.lastAt));
    const count = finals.reduce((n, f) => n + f.count, 0);
    const seconds = (last - first) / 1000;
    return {
      contender: contender.id,
      round: args.round,
      messages: count,
      seconds,
      msgPerSec: count / seconds,
      cpuUsPerMsg: (finals.reduce((n, f) => n + f.cpuMs, 0) * 1000) / count,
      perMember: finals.map((f) => f.count),
    };
  } finally {
    await Promise.all(
      members.map(
        (m) =>
          new Promise<void>((resolve) => {
            if (m.child.exitCode !== null || m.child.signalCode !== null) return resolve();
            const kill = setTimeout(() => m.child.kill('SIGKILL'), 10_000);
            m.child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
          }),
      ),
    );
  }
}
