import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { track } from './spawn.js';
import type { ChildResult } from './types.js';

/** The JVM options kafka-run-class.sh gives tools by default. */
const JVM_OPTS = [
  '-Xmx256M',
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-Djava.awt.headless=true',
];
const TICKS_PER_SECOND = 100;

interface Sample {
  at: number;
  cpuSeconds: number;
  hwmMb: number;
}

/** utime+stime (fields 14, 15 of /proc/<pid>/stat) and VmHWM of a running process. */
function sample(pid: number): Sample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { at: Date.now(), cpuSeconds: ticks / TICKS_PER_SECOND, hwmMb: hwm ? Number(hwm[1]) / 1024 : 0 };
  } catch (error) {
    // The process exited between two samples; anything else is a real failure.
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ESRCH'
    )
      return undefined;
    throw error;
  }
}

/** Cumulative CPU seconds at wall time `at`, linearly interpolated between samples. */
function cpuAt(samples: readonly Sample[], at: number): number {
  let before = samples[0] as Sample;
  for (const s of samples) {
    if (s.at >= at) {
      const span = s.at - before.at;
      return span <= 0
        ? s.cpuSeconds
        : before.cpuSeconds + ((s.cpuSeconds - before.cpuSeconds) * (at - before.at)) / span;
    }
    before = s;
  }
  return before.cpuSeconds;
}

/** ConsumerPerformance prints times as `yyyy-MM-dd HH:mm:ss:SSS` in the JVM's (= this machine's) zone. */
function parseJavaTime(text: string): number {
  const m = /(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+):(\d+)/.exec(text.trim());
  if (!m) throw new Error(`unexpected ConsumerPerformance time "${text}"`);
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

/**
 * Runs Apache Kafka's ConsumerPerformance for `count` records of `topic` with a fresh group. Its
 * fetch window (end - start - rebalance time) and record count give msg/s and MB/s; CPU seconds in
 * that window and peak RSS come from sampling /proc every 25 ms.
 */
export function runConsumerPerformance(
  classpath: string,
  brokers: string[],
  topic: string,
  groupId: string,
  count: number,
  timeoutMs: number,
): Promise<ChildResult> {
  const args = [
    ...JVM_OPTS,
    '-cp',
    classpath,
    'org.apache.kafka.tools.ConsumerPerformance',
    '--bootstrap-server',
    brokers.join(','),
    '--topic',
    topic,
    '--group',
    groupId,
    '--num-records',
    String(count),
    '--timeout',
    '30000',
  ];
  const child = track(spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const pid = child.pid as number;
  const samples: Sample[] = [];
  const poll = setInterval(() => {
    const s = sample(pid);
    if (s) samples.push(s);
  }, 25);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-3000);
  });
  return new Promise<ChildResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      const line = stdout
        .trim()
        .split('\n')
        .find((l) => /^\d{4}-/.test(l));
      if (code !== 0 || line === undefined || samples.length === 0) {
        reject(new Error(`ConsumerPerformance exited with ${code}:\n${stdout}\n${stderr}`));
        return;
      }
      // start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
      const cols = line.split(',').map((c) => c.trim());
      const start = parseJavaTime(cols[0] as string);
      const end = parseJavaTime(cols[1] as string);
      const rebalanceMs = Number(cols[6]);
      const fetchMs = Number(cols[7]);
      const messages = Number(cols[4]);
      const windowStart = start + rebalanceMs;
      const firstSample = samples[0] as Sample;
      resolve({
        contender: 'java-ConsumerPerformance',
        messages,
        bytes: Math.round(Number(cols[2]) * 1024 * 1024),
        windowMs: fetchMs,
        firstMessageAfterMs: windowStart - firstSample.at,
        cpuSeconds: cpuAt(samples, end) - cpuAt(samples, windowStart),
        peakRssMb: Math.max(...samples.map((s) => s.hwmMb)),
      });
    });
  });
}
