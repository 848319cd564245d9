import { consumeAll, produceMessages, waitFor } from '@kafkakit/kafka-testkit';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { withTracing } from '../../src/observability/tracing/index.js';
import { brokers, cleanupTopic, consumer, record, text, topic } from './support.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('kafkakit-test');
afterEach(() => exporter.reset());

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

describe('tracing (withTracing)', () => {
  it('a traceparent on a message becomes the parent of the handler span', async () => {
    const source = await topic('kc-obs-trace');
    await produceMessages(brokers(), source, [
      { key: 'k1', value: 'traced', headers: { traceparent: TRACEPARENT, tracestate: 'vendor=abc' } },
      { value: 'untraced' },
    ]);
    const c = consumer({
      topics: [source],
      handler: withTracing(async () => undefined, { tracer, groupId: 'g' }),
    });
    await c.run();
    await waitFor(() => exporter.getFinishedSpans().length === 2, { message: 'two handler spans' });
    const [traced, untraced] = exporter.getFinishedSpans();
    expect(traced?.spanContext().traceId).toBe(TRACE_ID);
    expect(traced?.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(traced?.parentSpanContext?.isRemote).toBe(true);
    expect(traced?.spanContext().traceState?.get('vendor')).toBe('abc');
    expect(traced?.kind).toBe(SpanKind.CONSUMER);
    expect(traced?.name).toBe(`${source} process`);
    expect(traced?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': source,
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': 0,
      'messaging.kafka.message.key': 'k1',
      'messaging.consumer.group.name': 'g',
      'kafkakit.attempt': 1,
    });
    // Without a traceparent the span starts a new trace.
    expect(untraced?.parentSpanContext).toBeUndefined();
    expect(untraced?.spanContext().traceId).not.toBe(TRACE_ID);
  });

  it('each retry is a span under the same parent with a retry event; the DLQ record keeps the trace context', async () => {
    const source = await topic('kc-obs-trace-dlq');
    cleanupTopic(`${source}.dlq`);
    await produceMessages(brokers(), source, [
      { value: 'poison', headers: { traceparent: TRACEPARENT, tracestate: 'vendor=abc' } },
    ]);
    const c = consumer({
      topics: [source],
      handler: withTracing(
        async () => {
          throw new Error('always fails');
        },
        { tracer },
      ),
    });
    const events = record(c, 'message.dead-lettered');
    await c.run();
    await waitFor(() => events['message.dead-lettered'].length === 1, { message: 'dead-lettered' });
    const [dead] = await consumeAll(brokers(), `${source}.dlq`, 1, { timeoutMs: 20_000 });
    expect(text(dead?.value)).toBe('poison');
    expect(text(dead?.headers.traceparent as Buffer)).toBe(TRACEPARENT);
    expect(text(dead?.headers.tracestate as Buffer)).toBe('vendor=abc');

    const spans = exporter.getFinishedSpans();
    // test support: maxRetries 3 -> 4 attempts.
    expect(spans.map((s) => s.attributes['kafkakit.attempt'])).toEqual([1, 2, 3, 4]);
    for (const span of spans) {
      expect(span.parentSpanContext?.spanId).toBe(PARENT_ID);
      expect(span.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'always fails' });
      expect(span.events.map((e) => e.name)).toContain('exception');
    }
    expect(spans.map((s) => s.events.some((e) => e.name === 'retry'))).toEqual([false, true, true, true]);
  });
});
