import {
  type Context,
  context,
  createTraceState,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import type { MessageHeaders } from '../../types.js';

const text = (value: Buffer | string): string => (typeof value === 'string' ? value : value.toString('utf8'));

/** Reads KafkaJS headers (Buffer | string | arrays of them) as a TextMap carrier. */
export const headerGetter: TextMapGetter<MessageHeaders | undefined> = {
  keys: (carrier) => (carrier === undefined ? [] : Object.keys(carrier)),
  get: (carrier, key) => {
    if (carrier === undefined) return undefined;
    const value = carrier[key] ?? carrier[key.toLowerCase()];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.map(text) : text(value);
  },
};

const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(-.*)?$/;

/** W3C `traceparent` (+ `tracestate`) parsed by hand: used when no propagator is registered globally. */
export function parseTraceparent(headers: MessageHeaders | undefined): SpanContext | undefined {
  const raw = headerGetter.get(headers, 'traceparent');
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase();
  if (value === undefined) return undefined;
  const match = TRACEPARENT.exec(value);
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const state = headerGetter.get(headers, 'tracestate');
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & 1,
    isRemote: true,
    ...(state === undefined
      ? {}
      : { traceState: createTraceState(Array.isArray(state) ? state.join(',') : state) }),
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * The parent context of a message's span: the global propagator's extraction (W3C by default in the
 * SDKs), else the `traceparent` header parsed here, else the active context.
 */
export function parentContext(headers: MessageHeaders | undefined): Context {
  const active = context.active();
  if (headers === undefined) return active;
  const extracted = propagation.extract(active, headers, headerGetter);
  if (trace.getSpanContext(extracted) !== undefined && extracted !== active) return extracted;
  const parsed = parseTraceparent(headers);
  return parsed === undefined
    ? active
    : trace.setSpanContext(active === ROOT_CONTEXT ? ROOT_CONTEXT : active, parsed);
}
