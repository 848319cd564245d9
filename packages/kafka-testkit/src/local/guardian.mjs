// Keeps a server process (the broker JVM, a PostgreSQL postmaster) tied to the process that started it.
// Runs as a small Node child:
// - spawns the JVM in its own process group, its output appended to a log file;
// - when its stdin closes (the parent exited, even by SIGKILL), or on SIGTERM/SIGINT/SIGHUP,
//   stops the JVM (config.stopSignal or SIGTERM, then SIGKILL after a grace period) and exits; when the parent died,
//   it also removes the broker's temporary folder (config.removeDir), which the parent can't;
// - SIGUSR1 freezes the JVM (SIGSTOP) and SIGUSR2 thaws it (SIGCONT), for fault tests;
// - exits with the JVM's exit code when the JVM dies on its own;
// - config.uid/gid: the server runs as that user (PostgreSQL refuses to run as root).
import { spawn } from 'node:child_process';
import { openSync, rmSync } from 'node:fs';

const config = JSON.parse(process.argv[2]);
const log = openSync(config.logFile, 'a');
const jvm = spawn(config.command, config.args, {
  detached: true,
  stdio: ['ignore', log, log],
  ...(config.uid === undefined ? {} : { uid: config.uid, gid: config.gid }),
});
let stopping = false;
let orphaned = false;

function signalGroup(signal) {
  try {
    process.kill(-jvm.pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

function stop() {
  if (stopping) return;
  stopping = true;
  signalGroup('SIGCONT');
  signalGroup(config.stopSignal ?? 'SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), config.graceMs).unref();
}

jvm.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
  if (orphaned && config.removeDir) rmSync(config.removeDir, { recursive: true, force: true });
  process.stdin.destroy();
});
function parentGone() {
  orphaned = true;
  stop();
}

process.stdin.on('close', parentGone);
process.stdin.on('end', parentGone);
process.stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop);
process.on('SIGUSR1', () => signalGroup('SIGSTOP'));
process.on('SIGUSR2', () => signalGroup('SIGCONT'));
process.stdout.write(`${JSON.stringify({ jvmPid: jvm.pid })}\n`);
