import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { startLocalCluster } from './local/cluster.js';
import { ensureTestPki, type TestPki } from './local/tls.js';
import type { KafkaHandle } from './types.js';
import { DEFAULT_KAFKA_VERSION } from './versions.js';

export interface SecureKafkaOptions {
  /** SCRAM-SHA-512 users created when the storage is formatted: name -> password. */
  users: Record<string, string>;
  version?: string;
  startTimeoutMs?: number;
}

/** TLS material for clients, as Node's `tls.connect` options want it (strings of PEM). */
export interface ClientTls {
  ca: string;
  cert: string;
  key: string;
  otherCa: string;
}

export interface SecureKafkaHandle extends KafkaHandle {
  /** PLAINTEXT, as the super user ANONYMOUS: for the test's own admin calls (topics, ACLs). */
  readonly adminBrokers: string[];
  /** SASL_PLAINTEXT with SCRAM-SHA-512. */
  readonly saslBrokers: string[];
  /** SASL_SSL: SCRAM-SHA-512 over TLS (server certificate signed by the test CA). */
  readonly saslSslBrokers: string[];
  /** SSL with client certificates required (mutual TLS); the principal is the certificate's CN. */
  readonly mtlsBrokers: string[];
  readonly tls: ClientTls;
  readonly pki: TestPki;
  /** Allows `principal` (e.g. 'User:alice') `operations` on a topic or group (literal name). */
  allow(
    principal: string,
    resource: 'topic' | 'group',
    name: string,
    operations: AclOperation[],
  ): Promise<void>;
}

export type AclOperation = 'READ' | 'WRITE' | 'DESCRIBE' | 'CREATE' | 'ALL';

// KafkaJS's ACL enums (AclResourceTypes, AclOperationTypes, ...), spelled out.
const RESOURCE = { topic: 2, group: 3 } as const;
const OPERATION: Record<AclOperation, number> = { ALL: 2, READ: 3, WRITE: 4, CREATE: 5, DESCRIBE: 8 };
const ALLOW = 3;
const LITERAL = 3;

const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';

/**
 * A local KRaft broker with security listeners: SCRAM-SHA-512 (users created at storage format),
 * SCRAM over TLS, mutual TLS, and ACLs with KRaft's StandardAuthorizer (nothing allowed without an
 * ACL, except to the super users ANONYMOUS (the PLAINTEXT admin listener) and admin). The CA and
 * certificates are made once with openssl and cached.
 */
export async function startSecureKafka(options: SecureKafkaOptions): Promise<SecureKafkaHandle> {
  const pki = ensureTestPki();
  const ports: Record<string, number> = {};
  const kafka = await startLocalCluster({
    version: options.version ?? process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION,
    nodes: 1,
    heap: '384m',
    startTimeoutMs: options.startTimeoutMs,
    listenersFor: async (_id, port) => {
      ports.SASL = await port();
      ports.SASL_SSL = await port();
      ports.MTLS = await port();
      return [
        { name: 'SASL', protocol: 'SASL_PLAINTEXT', port: ports.SASL },
        { name: 'SASL_SSL', protocol: 'SASL_SSL', port: ports.SASL_SSL },
        { name: 'MTLS', protocol: 'SSL', port: ports.MTLS },
      ];
    },
    properties: {
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
      'listener.name.sasl.scram-sha-512.sasl.jaas.config': jaas,
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': jaas,
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': pki.brokerKeystore,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': pki.ca,
      'listener.name.mtls.ssl.client.auth': 'required',
      'ssl.principal.mapping.rules': 'RULE:^CN=([^,]+)$/$1/,DEFAULT',
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': 'User:ANONYMOUS;User:admin',
      'allow.everyone.if.no.acl.found': 'false',
    },
    formatArgs: Object.entries(options.users).flatMap(([name, password]) => [
      '--add-scram',
      `SCRAM-SHA-512=[name=${name},password=${password}]`,
    ]),
  });
  const read = (file: string) => readFileSync(file, 'utf8');
  const adminBrokers = kafka.brokers;
  return {
    ...kafka,
    adminBrokers,
    saslBrokers: [`127.0.0.1:${ports.SASL}`],
    saslSslBrokers: [`127.0.0.1:${ports.SASL_SSL}`],
    mtlsBrokers: [`127.0.0.1:${ports.MTLS}`],
    tls: {
      ca: read(pki.ca),
      cert: read(pki.clientCert),
      key: read(pki.clientKey),
      otherCa: read(pki.otherCa),
    },
    pki,
    allow: async (principal, resource, name, operations) => {
      const admin = new Kafka({ brokers: adminBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        await admin.createAcls({
          acl: operations.map((op) => ({
            resourceType: RESOURCE[resource],
            resourceName: name,
            resourcePatternType: LITERAL,
            principal,
            host: '*',
            operation: OPERATION[op],
            permissionType: ALLOW,
          })),
        } as unknown as Parameters<typeof admin.createAcls>[0]);
      } finally {
        await admin.disconnect();
      }
    },
  };
}
