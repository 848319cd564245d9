import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyWorkspace, GOLDEN_DIR, PLOP_NODE_ARGS, readTree } from '../helpers/golden.js';
import { DOWN, ENTER, Terminal } from '../helpers/terminal.js';

/**
 * The interactive path through a real pseudo-terminal: util-linux `script` allocates the pty and runs
 * the command in it; this test types into it as a user would (including one invalid answer) and
 * reads the screen. The answers match fixtures/generator/per-batch, so the result must equal that golden.
 */
const workspace = emptyWorkspace(mkdtempSync(join(tmpdir(), 'kafkakit-pty-')));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('interactive prompts in a real terminal', () => {
  it(
    'asks each question with defaults and validation, then writes the service',
    { timeout: 120_000 },
    async () => {
      const tty = new Terminal(
        `node ${PLOP_NODE_ARGS.join(' ')} scripts/plop.ts kafka-consumer -- --cwd ${workspace}`,
      );
      try {
        await tty.expect(/Service name \(kebab-case\)/);
        tty.type(`Payments_Svc${ENTER}`);
        await tty.expect(/the name must be kebab-case/);
        // Clear the rejected answer as a user would, then type a valid one.
        tty.type(`${'\u007f'.repeat(20)}payments${ENTER}`);
        await tty.expect(/Topics to consume \(comma-separated\)/);
        tty.type(`payments.settled${ENTER}`);
        await tty.expect(/Consumer group or share group\?/);
        await tty.expect(/share\s+a share group \(KIP-932/);
        tty.type(ENTER);
        await tty.expect(/Group id \(payments\)/);
        tty.type(ENTER);
        await tty.expect(/Brokers \(comma-separated host:port\) \(localhost:9092\)/);
        tty.type(`kafka-1:9092,kafka-2:9092${ENTER}`);
        await tty.expect(/Commit strategy/);
        await tty.expect(/per-batch\s+commit once per fetched batch/);
        tty.type(ENTER);
        await tty.expect(/Ordering/);
        await tty.expect(/key\s+messages with the same key in order/);
        tty.type(ENTER);
        await tty.expect(/Most handler calls in flight at once .*\(1\)/);
        tty.type(ENTER);
        await tty.expect(/Retries before a message is dead-lettered .*\(3\)/);
        tty.type(`5${ENTER}`);
        await tty.expect(/Retry tiers[\s\S]*\(none\)/);
        tty.type(ENTER);
        await tty.expect(/Dead-letter topic \("none" to disable\) \(<topic>\.dlq\)/);
        tty.type(ENTER);
        await tty.expect(/Start from the earliest offset.*\(y\/N\)/);
        tty.type(`y${ENTER}`);
        await tty.expect(/Deduplicate with a PostgreSQL inbox\?/);
        await tty.expect(/postgres\s+a PostgreSQL inbox/);
        tty.type(ENTER);
        await tty.expect(/Install it and verify it now \(pnpm install, typecheck, tests\)\?.*\(Y\/n\)/);
        tty.type(`n${ENTER}`);
        await tty.expect(/20 file\(s\) written/, 60_000);
        expect(await tty.exited).toBe(0);
      } finally {
        tty.kill();
      }
      const actual = readTree(join(workspace, 'services/payments'));
      const expected = readTree(join(GOLDEN_DIR, 'per-batch/expected'));
      expect([...actual.keys()]).toEqual([...expected.keys()]);
      // The record differs in one field only: every prompt answered counts as given.
      const record = (tree: Map<string, string>) => {
        const { given: _given, ...rest } = JSON.parse(tree.get('.kafkakit-generator.json') ?? '{}');
        return rest;
      };
      expect(record(actual)).toEqual(record(expected));
      for (const [path, content] of expected) {
        if (path !== '.kafkakit-generator.json') expect(actual.get(path), path).toBe(content);
      }
    },
  );

  it(
    'a share group is not asked for commit, ordering or from-beginning, and writes the share service',
    { timeout: 120_000 },
    async () => {
      const tty = new Terminal(
        `node ${PLOP_NODE_ARGS.join(' ')} scripts/plop.ts kafka-consumer -- --cwd ${workspace}`,
      );
      try {
        await tty.expect(/Service name \(kebab-case\)/);
        tty.type(`thumbnails${ENTER}`);
        await tty.expect(/Topics to consume \(comma-separated\)/);
        tty.type(`images.uploaded${ENTER}`);
        await tty.expect(/Consumer group or share group\?/);
        await tty.expect(/share\s+a share group \(KIP-932/);
        tty.type(`${DOWN}${ENTER}`);
        await tty.expect(/Group id \(thumbnails\)/);
        tty.type(ENTER);
        await tty.expect(/Brokers \(comma-separated host:port\) \(localhost:9092\)/);
        tty.type(ENTER);
        await tty.expect(/Most handler calls in flight at once .*\(16\)/);
        tty.type(`8${ENTER}`);
        await tty.expect(/Retries before a message is dead-lettered .*\(3\)/);
        tty.type(ENTER);
        await tty.expect(/Dead-letter topic \("none" to disable\) \(<topic>\.dlq\)/);
        tty.type(ENTER);
        await tty.expect(/Install it and verify it now \(pnpm install, typecheck, tests\)\?.*\(Y\/n\)/);
        tty.type(`n${ENTER}`);
        await tty.expect(/20 file\(s\) written/, 60_000);
        expect(await tty.exited).toBe(0);
        expect(tty.screen).not.toMatch(/Commit strategy|Ordering|Start from the earliest offset|Retry tiers/);
      } finally {
        tty.kill();
      }
      const actual = readTree(join(workspace, 'services/thumbnails'));
      const expected = readTree(join(GOLDEN_DIR, 'share/expected'));
      expect([...actual.keys()]).toEqual([...expected.keys()]);
      for (const [path, content] of expected) {
        if (path !== '.kafkakit-generator.json') expect(actual.get(path), path).toBe(content);
      }
    },
  );

  it('rejects an invalid flag before asking anything', { timeout: 60_000 }, async () => {
    const tty = new Terminal(
      `node ${PLOP_NODE_ARGS.join(' ')} scripts/plop.ts kafka-consumer -- --topics 'a;b' --cwd ${workspace}`,
    );
    try {
      await tty.expect(/Invalid --topics: topic "a;b" may only contain/);
      expect(await tty.exited).toBe(2);
      expect(tty.screen).not.toMatch(/Service name/);
    } finally {
      tty.kill();
    }
  });
});
