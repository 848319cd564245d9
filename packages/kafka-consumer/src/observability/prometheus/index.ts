export { type DuplicateSource, type InboxMetricsOptions, registerInboxMetrics } from './inbox.js';
export type { ConsumerMetrics } from './metrics.js';
export { type ConsumerMetricsOptions, registerConsumerMetrics } from './register.js';
