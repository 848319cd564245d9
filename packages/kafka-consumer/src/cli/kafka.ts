import { randomBytes } from 'node:crypto';
import {
  type Admin,
  type IHeaders,
  Kafka,
  type KafkaConfig,
  type KafkaMessage,
  logLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';
import { ClientError, toError } from '../errors.js';
import type { Connection } from './connection.js';
import type { TopicRecord } from './dead-letter-record.js';

/** The CLI's only KafkaJS entry: a client quiet on stdout/stderr (the command reports failures itself). */
export function createKafka(connection: Connection): Kafka {
  return new Kafka({
    brokers: connection.brokers,
    clientId: connection.clientId,
    ssl: connection.ssl,
    sasl: connection.sasl as KafkaConfig['sasl'],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5000,
    retry: { retries: 5 },
  });
}

export interface PartitionOffsets {
  partition: number;
  low: bigint;
  high: bigint;
}

export async function connectAdmin(kafka: Kafka): Promise<Admin> {
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    throw new ClientError(`could not connect to the brokers: ${toError(error).message}`, { cause: error });
  }
  return admin;
}

export async function topicExists(admin: Admin, topic: string): Promise<boolean> {
  return (await admin.listTopics()).includes(topic);
}

export async function partitionOffsets(admin: Admin, topic: string): Promise<PartitionOffsets[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets
    .map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) }))
    .sort((a, b) => a.partition - b.partition);
}

export interface GroupOffset {
  partition: number;
  /** Next offset to read; -1 when the group committed none. */
  offset: bigint;
  metadata: string | null;
}

export async function groupOffsets(admin: Admin, groupId: string, topic: string): Promise<GroupOffset[]> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (entry?.partitions ?? []).map((p) => ({
    partition: p.partition,
    offset: BigInt(p.offset),
    metadata: p.metadata ?? null,
  }));
}

/** The group's state ('Empty', 'Stable', 'Dead', ...). */
export async function groupState(admin: Admin, groupId: string): Promise<string> {
  const { groups } = await admin.describeGroups([groupId]);
  return groups[0]?.state ?? 'Dead';
}

/** An idempotent producer (acks from all in-sync replicas), never creating topics. */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1,
  });
}

export function toRecord(partition: number, message: KafkaMessage): TopicRecord {
  return {
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key,
    value: message.value,
    headers: (message.headers ?? {}) as TopicRecord['headers'],
  };
}

export type OutgoingHeaders = IHeaders;
export type { Admin };

/** The Java client's default partitioner (murmur2 of the key; null keys spread): where a keyed record goes. */
export function keyPartitioner(): (topic: string, partitions: number, key: Buffer | null) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  return (topic, partitions, key) =>
    partitioner({
      topic,
      partitionMetadata: Array.from({ length: partitions }, (_, partitionId) => ({
        partitionId,
        leader: 0,
        replicas: [0],
        isr: [0],
        partitionErrorCode: 0,
      })),
      message: { key, value: null },
    });
}

/** A throwaway consumer group name for reading without committing anything. */
export const readerGroup = () => `kafkakit-cli-read-${randomBytes(6).toString('hex')}`;
