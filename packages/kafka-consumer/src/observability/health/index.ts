export {
  DEFAULT_LAG_REFRESH_MS,
  DEFAULT_STUCK_AFTER_MS,
  type HoldView,
  type PartitionView,
  type StuckReport,
} from '../watch/consumer-watch.js';
export { liveness, type ProbeResult, readiness } from './probes.js';
export {
  type HealthServer,
  type HealthServerOptions,
  type MetricsSource,
  startHealthServer,
} from './server.js';
