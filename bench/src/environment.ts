import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  try {
    // Walk up from the entry point: some packages do not export their package.json.
    let dir = dirname(require.resolve(pkg));
    for (;;) {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest)) {
        const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string };
        if (json.name === pkg) return json.version;
      }
      const parent = dirname(dir);
      if (parent === dir) return 'unknown';
      dir = parent;
    }
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
