import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { startKafka, waitFor } from '../../src/index.js';

const tsx = createRequire(import.meta.url).resolve('tsx');
const fixture = fileURLToPath(new URL('../fixtures/start-broker.ts', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local broker lifecycle', () => {
  // Only meaningful where this run itself uses local JVM brokers (not with KAFKAKIT_TEST_BROKERS or Docker).
  it.runIf(inject('kafkaMode') === 'local')(
    'stops the broker JVM and removes its data when the process that started it is SIGKILLed',
    async () => {
      const child = spawn(process.execPath, ['--import', tsx, fixture], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, KAFKAKIT_TEST_BROKERS: '' },
      });
      const started = await new Promise<{ pid: number; dataDir: string }>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString())));
        child.once('exit', (code) => reject(new Error(`fixture exited ${code} before the broker started`)));
      });
      expect(alive(started.pid)).toBe(true);
      child.kill('SIGKILL');
      await waitFor(() => !alive(started.pid), { timeoutMs: 20_000, message: 'the orphaned JVM to die' });
      await waitFor(() => !existsSync(started.dataDir), { timeoutMs: 5_000, message: 'the data dir to go' });
    },
  );

  it('fails at once with a clear message when Java is missing', async () => {
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = '/nonexistent-jdk';
    try {
      await expect(startKafka({ mode: 'local' })).rejects.toThrow(
        /Java 17\+ not found .*install a JDK, start Docker, or set KAFKAKIT_TEST_BROKERS=host:port/,
      );
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });

  it('rejects a KAFKAKIT_TEST_BROKERS value that is not host:port, naming it', async () => {
    const saved = process.env.KAFKAKIT_TEST_BROKERS;
    process.env.KAFKAKIT_TEST_BROKERS = 'localhost';
    try {
      await expect(startKafka()).rejects.toThrow(/KAFKAKIT_TEST_BROKERS entry "localhost" is not host:port/);
    } finally {
      if (saved === undefined) delete process.env.KAFKAKIT_TEST_BROKERS;
      else process.env.KAFKAKIT_TEST_BROKERS = saved;
    }
  });
});
