/**
 * The Apache Kafka versions the local broker knows how to assemble from Maven Central.
 * 4.4.0 is the newest 4.x; KafkaJS 2.2.4 produces, joins groups, commits and runs admin calls
 * against it (see the README for the finding). 3.9.x stays available for older clusters.
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

export interface BrokerArtifacts {
  /** Maven coordinates `group:artifact:version` of everything the broker needs on its classpath. */
  readonly dependencies: readonly string[];
  /** Logging flavour: log4j2 for 4.x, reload4j (log4j 1 API) for 3.x. */
  readonly logging: 'log4j2' | 'log4j1';
}

export function artifactsFor(version: string): BrokerArtifacts {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`KAFKA_VERSION "${version}" is not a release number like 4.4.0 or 3.9.1`);
  }
  const major = Number(version.split('.')[0]);
  if (major >= 4) {
    return {
      logging: 'log4j2',
      dependencies: [
        `org.apache.kafka:kafka_2.13:${version}`,
        'org.apache.logging.log4j:log4j-api:2.25.3',
        'org.apache.logging.log4j:log4j-core:2.25.3',
        'org.apache.logging.log4j:log4j-slf4j-impl:2.25.3',
      ],
    };
  }
  if (major === 3) {
    return {
      logging: 'log4j1',
      dependencies: [
        `org.apache.kafka:kafka_2.13:${version}`,
        'org.slf4j:slf4j-reload4j:1.7.36',
        'ch.qos.reload4j:reload4j:1.2.25',
      ],
    };
  }
  throw new Error(`KAFKA_VERSION "${version}" is not supported: use a 3.x (KRaft) or 4.x release`);
}
