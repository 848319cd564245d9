import { context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { Handler, MessageContext } from '../../types.js';
import { parentContext } from './propagation.js';

const TRACER_NAME = '@kafkakit/kafka-consumer';

export interface TracingOptions {
  /** @default trace.getTracer('@kafkakit/kafka-consumer') (a no-op until an SDK is registered) */
  tracer?: Tracer;
  /** Sets `messaging.consumer.group.name` on every span. */
  groupId?: string;
  /** @default `${topic} process` (OpenTelemetry messaging conventions) */
  spanName?: (context: MessageContext<unknown>) => string;
}

function failed(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

/**
 * Wraps a handler so every call (every attempt) runs in a CONSUMER span whose parent is the
 * message's W3C trace context. The span is active while the handler runs (its own spans and logs
 * correlate). A failed attempt records the exception and ERROR status; a retry's span carries
 * `kafkakit.attempt` and a `retry` event. Without a registered SDK the spans are non-recording.
 */
export function withTracing<T>(handler: Handler<T>, options: TracingOptions = {}): Handler<T> {
  const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
  const { groupId, spanName } = options;
  return (ctx: MessageContext<T>) => {
    const parent = parentContext(ctx.message.headers);
    const span = tracer.startSpan(
      spanName?.(ctx as MessageContext<unknown>) ?? `${ctx.topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.destination.name': ctx.topic,
          'messaging.destination.partition.id': String(ctx.partition),
          'messaging.kafka.offset': Number(ctx.message.offset),
          ...(groupId === undefined ? {} : { 'messaging.consumer.group.name': groupId }),
          ...(ctx.message.key === null ? {} : { 'messaging.kafka.message.key': ctx.message.key.toString() }),
          'kafkakit.attempt': ctx.attempt,
        },
      },
      parent,
    );
    if (ctx.attempt > 1) span.addEvent('retry', { 'kafkakit.attempt': ctx.attempt });
    let result: Promise<void> | void;
    try {
      result = context.with(trace.setSpan(parent, span), () => handler(ctx));
    } catch (error) {
      failed(span, error);
      span.end();
      throw error;
    }
    if (!(result instanceof Promise)) {
      span.end();
      return result;
    }
    return result.then(
      () => span.end(),
      (error: unknown) => {
        failed(span, error);
        span.end();
        throw error;
      },
    );
  };
}
