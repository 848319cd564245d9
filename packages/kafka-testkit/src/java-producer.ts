import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestkitError } from './errors.js';
import { ensureBrokerJars } from './local/jars.js';
import { requireJava } from './local/java.js';
import { DEFAULT_KAFKA_VERSION } from './versions.js';

const source = join(dirname(fileURLToPath(import.meta.url)), '..', 'java', 'CompressedProducer.java');

/** Codecs of Kafka's `compression.type`. */
export type JavaCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface JavaRecord {
  key: Buffer | null;
  value: Buffer | null;
  partition?: number;
}

const hexOrDash = (bytes: Buffer | null) => (bytes === null ? '-' : bytes.toString('hex'));

/**
 * Produces `records` with Apache Kafka's own Java producer (the broker jars' kafka-clients), in
 * batches compressed with `compression`: a client other than KafkaJS, as in production. Resolves
 * with the [partition, offset] of each record, in order. Needs a JDK 17+ (single-file source launch).
 */
export async function produceWithJavaClient(
  brokers: string[],
  topic: string,
  records: readonly JavaRecord[],
  options: { compression: JavaCompression; version?: string; timeoutMs?: number },
): Promise<Array<[number, number]>> {
  const java = requireJava(17);
  const { libDir } = ensureBrokerJars(options.version ?? process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION);
  const child = spawn(
    java,
    [
      '-Xmx128m',
      '-XX:TieredStopAtLevel=1',
      '-Dlog4j2.rootLevel=WARN',
      '-cp',
      `${libDir}/*`,
      source,
      brokers.join(','),
      topic,
      options.compression,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = records.map((r) => `${r.partition ?? '-'}\t${hexOrDash(r.key)}\t${hexOrDash(r.value)}\n`);
  child.stdin.end(lines.join(''));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new TestkitError('JAVA_PRODUCER_TIMEOUT', `The Java producer did not finish in time:\n${stderr}`),
      );
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) {
    throw new TestkitError(
      'JAVA_PRODUCER_FAILED',
      `The Java producer (${options.compression}) exited with ${code}:\n${stderr.slice(-4000)}`,
    );
  }
  return (JSON.parse(last) as { offsets: Array<[number, number]> }).offsets;
}
