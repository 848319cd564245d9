import {
  createTopic,
  type KafkaHandle,
  type SecureKafkaHandle,
  startKafka,
  startSecureKafka,
  testClient,
  uniqueName,
} from '@kafkakit/kafka-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShareGroupError } from '../../../src/errors.js';
import { openShareSession } from '../../../src/share/index.js';
import { brokers, session, topic } from './support.js';

/** What `openShareSession` rejected with (fails the test when it joined). */
async function joinError(options: Parameters<typeof openShareSession>[0]): Promise<ShareGroupError> {
  const error = await openShareSession({ joinTimeoutMs: 10_000, ...options }).then(
    async (s) => {
      await s.close();
      throw new Error('joined, but should not have');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShareGroupError);
  return error as ShareGroupError;
}

describe('share groups: one clear error per cause', () => {
  it('a group id used by a consumer group: GROUP_TYPE_CONFLICT naming the group and the fix', async () => {
    const name = await topic('kc-share-conflict');
    const groupId = uniqueName('kc-classic');
    const classic = testClient(brokers()).consumer({ groupId });
    await classic.connect();
    await classic.subscribe({ topics: [name] });
    let joined!: () => void;
    const member = new Promise<void>((resolve) => {
      joined = resolve;
    });
    classic.on(classic.events.GROUP_JOIN, () => joined());
    await classic.run({ eachMessage: async () => undefined });
    await member;
    try {
      const error = await joinError({
        brokers: brokers(),
        clientId: 'kc-share-test',
        groupId,
        topics: [name],
      });
      expect(error.code).toBe('GROUP_TYPE_CONFLICT');
      expect(error.retriable).toBe(false);
      expect(error.message).toContain(groupId);
      expect(error.message).toMatch(/own groupId/);
      expect((error.cause as Error).message).toMatch(/GROUP_ID_NOT_FOUND.*not a share group/);
    } finally {
      await classic.disconnect();
    }
    // The same topic with a group id of its own works (the failure was the id, nothing else).
    await session({ groupId: uniqueName('kc-share'), topics: [name] });
  });

  describe('a broker with share groups disabled (share.version=0)', () => {
    let kafka: KafkaHandle;
    beforeAll(async () => {
      kafka = await startKafka({ mode: 'local', shareGroups: false });
    });
    afterAll(async () => kafka?.stop());

    it('SHARE_GROUPS_UNAVAILABLE says which Kafka and which feature to enable', async () => {
      const name = uniqueName('kc-share-off');
      await createTopic(kafka.brokers, name, 1);
      const error = await joinError({
        brokers: kafka.brokers,
        clientId: 'kc-share-test',
        groupId: uniqueName('kc-share'),
        topics: [name],
      });
      expect(error.code).toBe('SHARE_GROUPS_UNAVAILABLE');
      expect(error.retriable).toBe(false);
      expect(error.message).toMatch(/share\.version=1/);
      expect(error.message).toMatch(/4\.2/);
      expect((error.cause as Error).message).toMatch(/UNSUPPORTED_VERSION/);
    });
  });

  describe('ACLs (SCRAM user, StandardAuthorizer)', () => {
    let kafka: SecureKafkaHandle;
    const sasl = { mechanism: 'scram-sha-512' as const, username: 'carol', password: 'carol-Share-7' };
    beforeAll(async () => {
      kafka = await startSecureKafka({ users: { carol: sasl.password } });
    });
    afterAll(async () => kafka?.stop());

    it('AUTHORIZATION_FAILED names the missing ACL: the group first, then the topic; with both it joins', async () => {
      const name = uniqueName('kc-share-acl');
      const groupId = uniqueName('kc-share');
      await createTopic(kafka.adminBrokers, name, 1);
      const options = {
        brokers: kafka.saslBrokers,
        clientId: 'kc-share-test',
        groupId,
        topics: [name],
        sasl,
      };
      const noGroup = await joinError(options);
      expect(noGroup.code).toBe('AUTHORIZATION_FAILED');
      expect(noGroup.message).toContain(`READ on group "${groupId}"`);
      expect(noGroup.message).toContain('User:carol');
      await kafka.allow('User:carol', 'group', groupId, ['READ']);
      const noTopic = await joinError(options);
      expect(noTopic.code).toBe('AUTHORIZATION_FAILED');
      expect(noTopic.message).toContain(`READ on topic "${name}"`);
      await kafka.allow('User:carol', 'topic', name, ['READ']);
      const s = await openShareSession(options);
      await s.close();
    });
  });
});
