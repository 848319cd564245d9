export type { ConsumerMetrics } from './metrics.js';
export { type ConsumerMetricsOptions, registerConsumerMetrics } from './register.js';
