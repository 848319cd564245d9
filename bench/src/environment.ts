import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, release, totalmem } from 'node:os';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  try {
    const path = require.resolve(`${pkg}/package.json`);
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch (error) {
    return `unknown (${String(error)})`;
  }
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  kafkajs: string;
  platformaticKafka: string;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    kernel: release(),
    node: process.version,
    kafkajs: versionOf('kafkajs'),
    platformaticKafka: versionOf('@platformatic/kafka'),
  };
}

/** 1/5/15-minute load averages, rounded. */
export const load = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);
