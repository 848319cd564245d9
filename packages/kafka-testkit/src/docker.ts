import { existsSync } from 'node:fs';
import { request } from 'node:http';
import type { KafkaHandle } from './types.js';

/** True when a Docker engine answers /_ping within a second (DOCKER_HOST unix socket or the default). */
export function dockerAnswers(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const host = env.DOCKER_HOST;
  const socketPath = host?.startsWith('unix://')
    ? host.slice('unix://'.length)
    : host
      ? undefined
      : '/var/run/docker.sock';
  if (host && !socketPath) return Promise.resolve(true); // tcp:// engines: let Testcontainers try
  if (!socketPath || !existsSync(socketPath)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Image for a Kafka version; KAFKA_DOCKER_IMAGE overrides. */
export function dockerImageFor(version: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.KAFKA_DOCKER_IMAGE) return env.KAFKA_DOCKER_IMAGE;
  return version.startsWith('3.') ? 'confluentinc/cp-kafka:7.9.0' : 'confluentinc/cp-kafka:8.0.0';
}

/** A KRaft broker in a container through @testcontainers/kafka (loaded only when Docker answers). */
export async function startDockerBroker(version: string): Promise<KafkaHandle> {
  const started = Date.now();
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer(dockerImageFor(version)).withKraft().start();
  const brokers = [`${container.getHost()}:${container.getMappedPort(9093)}`];
  return {
    brokers,
    version,
    mode: 'docker',
    startupMs: Date.now() - started,
    stop: async () => {
      await container.stop();
    },
  };
}
