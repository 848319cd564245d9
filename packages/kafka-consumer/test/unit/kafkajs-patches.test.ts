import { describe, expect, it } from 'vitest';
import { installPatches } from '../../src/client/kafkajs-patches/install.js';
import {
  installedKafkaJsVersion,
  KAFKAJS_VERSION,
  missingMember,
} from '../../src/client/kafkajs-patches/registry.js';
import { createConsumer } from '../../src/index.js';
import { fakeClient, options } from './support/fake-client.js';

describe('KafkaJS patches: one install point, guarded', () => {
  it('the installed KafkaJS is the version the patches were written for', () => {
    expect(installedKafkaJsVersion()).toBe(KAFKAJS_VERSION);
  });

  it('on another KafkaJS version no private patch installs, and each says why', () => {
    let called = 0;
    const statuses = installPatches('2.3.0', [
      { name: 'a', install: () => void called++ },
      { name: 'b', install: () => void called++ },
    ]);
    expect(called).toBe(0);
    expect(statuses).toEqual([
      { name: 'a', installed: false, reason: `written for KafkaJS ${KAFKAJS_VERSION}, found 2.3.0` },
      { name: 'b', installed: false, reason: `written for KafkaJS ${KAFKAJS_VERSION}, found 2.3.0` },
    ]);
  });

  it('a member of the wrong shape is named; a patch that throws is reported, not fatal', () => {
    expect(
      missingMember({ heartbeat: () => 1, recover: 3 }, ['heartbeat', 'recover'], 'ConsumerGroup.prototype'),
    ).toBe('ConsumerGroup.prototype.recover is a number');
    expect(missingMember({}, ['joinGroup'], 'Broker.prototype')).toBe(
      'Broker.prototype.joinGroup is missing',
    );
    const statuses = installPatches(KAFKAJS_VERSION, [
      { name: 'ok', install: () => undefined },
      {
        name: 'boom',
        install: () => {
          throw new Error('layout changed');
        },
      },
    ]);
    expect(statuses).toEqual([
      { name: 'ok', installed: true },
      { name: 'boom', installed: false, reason: 'its install threw: layout changed' },
    ]);
  });

  it("the client's warnings and problems reach health(): a warning degrades, a problem makes it unhealthy", async () => {
    const fake = fakeClient();
    let problems: string[] = [];
    fake.client.diagnostics = () => ({ problems, warnings: ['KafkaJS patch "join-gate" not installed: x'] });
    const c = createConsumer(
      options(() => undefined),
      { clientFactory: fake.factory },
    );
    await c.run();
    expect(c.health()).toMatchObject({
      status: 'healthy',
      warnings: ['KafkaJS patch "join-gate" not installed: x'],
    });
    problems = ['fetches from broker 127.0.0.1:9092 refused since …'];
    expect(c.health()).toMatchObject({ status: 'unhealthy', problems });
    await c.disconnect();
  });
});

describe('a dead partition leader escalates', () => {
  it('refused fetches from one broker for UNAVAILABLE_AFTER_MS without a break are reported; a pause in refusals ends it', async () => {
    const { fetchRefusal, noteRefusal, UNAVAILABLE_AFTER_MS } = await import(
      '../../src/client/kafkajs-patches/leader-failover.js'
    );
    const t0 = 1_000_000;
    for (let t = t0; t <= t0 + UNAVAILABLE_AFTER_MS - 1000; t += 1000) noteRefusal('g-esc', 'b:1', t);
    expect(fetchRefusal('g-esc', t0 + UNAVAILABLE_AFTER_MS - 1000)).toBeUndefined();
    noteRefusal('g-esc', 'b:1', t0 + UNAVAILABLE_AFTER_MS);
    expect(fetchRefusal('g-esc', t0 + UNAVAILABLE_AFTER_MS)).toEqual({ broker: 'b:1', since: t0 });
    // Fetches succeed again (no refusal for a while): no longer reported.
    expect(fetchRefusal('g-esc', t0 + UNAVAILABLE_AFTER_MS + 6000)).toBeUndefined();
  });
});

describe('the JoinGroup gate', () => {
  it("holds a member's re-join until its revoke is done, at most its bound, and never a first join or another member's", async () => {
    const { gateJoins, heldJoin } = await import('../../src/client/kafkajs-patches/join-gate.js');
    const ungate = gateJoins('member-1', () => new Promise<void>(() => undefined), 100);
    const began = Date.now();
    await heldJoin('member-1');
    const held = Date.now() - began;
    expect(held).toBeGreaterThanOrEqual(95);
    expect(held).toBeLessThan(1000);
    const quick = Date.now();
    await heldJoin(''); // a first join: no member id yet
    await heldJoin('member-2');
    expect(Date.now() - quick).toBeLessThan(50);
    ungate();
    let done = false;
    const revoke = new Promise<void>((resolve) => setTimeout(resolve, 30));
    gateJoins(
      'member-3',
      () =>
        revoke.then(() => {
          done = true;
        }),
      10_000,
    );
    await heldJoin('member-3');
    expect(done).toBe(true);
  });
});
