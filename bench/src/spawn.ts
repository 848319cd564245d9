import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildResult, ChildSpec } from './types.js';

let sequence = 0;
let childEntry: string | undefined;
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Kills the child if the orchestrator exits first (a failed run must not leave contenders behind). */
export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

/** The bundled contender entry (see build.ts); set once before any child starts. */
export function useChildEntry(path: string): void {
  childEntry = path;
}

/** A result file path no other child uses. */
export function resultFileFor(label: string): string {
  sequence++;
  return join(tmpdir(), `kafkakit-bench-${process.pid}-${sequence}-${label}.json`);
}

/**
 * Node arguments for a child. `--expose-gc` lets each child report its heap after a full GC once its
 * window closed (retained memory, as opposed to peak RSS). BENCH_CPU_PROF=<dir> adds --cpu-prof:
 * each contender leaves a profile there.
 */
export function nodeArgs(entry: string): string[] {
  const args = ['--expose-gc', '--enable-source-maps', entry];
  const profileDir = process.env.BENCH_CPU_PROF;
  return profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, ...args] : args;
}

export interface RunningChild {
  child: ChildProcess;
  /** Resolves with the child's result once it exited (rejects on failure or timeout). */
  done: Promise<ChildResult>;
}

/**
 * Starts one contender in its own Node process (IPC channel for 'ready'-style notices) and reads
 * its result file when it exits. A child that runs past `timeoutMs` is killed and the run fails.
 */
export function startChild(
  spec: Omit<ChildSpec, 'resultFile'>,
  timeoutMs: number,
  onMessage?: (message: { type: string }) => void,
): RunningChild {
  if (childEntry === undefined) throw new Error('useChildEntry() was not called');
  const resultFile = resultFileFor(spec.contender);
  const full: ChildSpec = { ...spec, resultFile };
  const child = track(
    spawn(process.execPath, nodeArgs(childEntry), {
      env: { ...process.env, BENCH_SPEC: JSON.stringify(full) },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    }),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  if (onMessage) child.on('message', (message) => onMessage(message as { type: string }));
  const done = new Promise<ChildResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${spec.contender} did not finish within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && existsSync(resultFile)) {
        const result = JSON.parse(readFileSync(resultFile, 'utf8')) as ChildResult;
        rmSync(resultFile, { force: true });
        resolve(result);
      } else {
        reject(new Error(`${spec.contender} exited with ${code ?? signal}\n${stderr}`));
      }
    });
  });
  return { child, done };
}
