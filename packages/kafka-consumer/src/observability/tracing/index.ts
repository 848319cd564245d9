export { headerGetter, parentContext, parseTraceparent } from './propagation.js';
export { type TracingOptions, withTracing } from './with-tracing.js';
