import { describe, expect, it } from 'vitest';
import {
  dockerString,
  envValue,
  exampleDeadLetterTopic,
  jsonString,
  LINE_WIDTH,
  mdCode,
  mdText,
  pascalCase,
  pathToRoot,
  shellWord,
  tsComment,
  tsProperty,
  tsString,
  yamlString,
} from '../../src/naming.js';

const nasty = [
  "a';process.exit(1);//",
  'back\\slash',
  'new\nline',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${...} is one of the inputs under test
  '${template}',
  '`tick`',
  '\u2028\u2029',
  '\u0000\u001b[31m',
  '"double"',
  '*/ end comment',
];

describe('naming', () => {
  it('derives identifiers', () => {
    expect(pascalCase('order-events')).toBe('OrderEvents');
    expect(pathToRoot('services/orders')).toBe('../..');
    expect(pathToRoot('apps/team/orders')).toBe('../../..');
  });

  it('tsString evaluates back to exactly the input, whatever it holds', () => {
    for (const value of nasty) {
      const literal = tsString(value);
      expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
      expect(new Function(`return ${literal};`)()).toBe(value);
    }
  });

  it('tsComment cannot end a comment or a line', () => {
    for (const value of nasty) expect(tsComment(value)).not.toMatch(/\*\/|[\n\r\u2028\u2029]/);
  });

  it('JSON and YAML strings round-trip', () => {
    for (const value of nasty) {
      expect(JSON.parse(jsonString(value))).toBe(value);
      expect(JSON.parse(yamlString(value))).toBe(value);
      expect(yamlString('é')).toBe('"\\u00e9"');
    }
  });

  it('Docker strings are JSON without $ expansion', () => {
    expect(dockerString('a$HOME"b')).toBe('"a\\$HOME\\"b"');
  });

  it('dotenv values are bare when plain, quoted otherwise', () => {
    expect(envValue('localhost:9092,b:1')).toBe('localhost:9092,b:1');
    expect(envValue('a b')).toBe('"a b"');
    expect(envValue('x\ny$Z')).toBe('"x\\ny\\$Z"');
  });

  it('Markdown code spans and text cannot break out', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x')).toBe('`` `x ``');
    expect(mdText('a|b*c_[d]')).toBe('a\\|b\\*c\\_\\[d\\]');
  });

  it('shell words are quoted when needed', () => {
    expect(shellWord('services/orders')).toBe('services/orders');
    expect(shellWord("a b'c")).toBe("'a b'\\''c'");
  });

  it('tsProperty breaks after the key only when the line would not fit', () => {
    expect(tsProperty('KEY', 'short')).toBe("  KEY: 'short',");
    const long = tsProperty('KEY', 'x'.repeat(200));
    expect(long.split('\n')).toHaveLength(2);
    expect(tsProperty('KEY', 'x'.repeat(LINE_WIDTH - 10)).length).toBe(LINE_WIDTH);
  });

  it('names a concrete dead-letter topic for example commands', () => {
    expect(exampleDeadLetterTopic('<topic>.dlq', ['orders.placed', 'orders.cancelled'])).toBe(
      'orders.placed.dlq',
    );
    expect(exampleDeadLetterTopic('orders.dead-letters', ['orders.placed'])).toBe('orders.dead-letters');
  });
});
