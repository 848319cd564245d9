import { DEFAULTS, STOP_BOUND_MS } from '@kafkakit/kafka-consumer';
import { describe, expect, it } from 'vitest';
import { operatingFigures, serviceVersions } from '../../src/render.js';

describe("the service README's operating figures", () => {
  it('computes terminationGracePeriodSeconds as drain timeout + the runtime stop bound + a 5 s margin', () => {
    expect(STOP_BOUND_MS).toBe(5000);
    expect(operatingFigures(DEFAULTS.shutdown.drainTimeoutMs)).toMatchObject({
      healthPort: 8080,
      drainTimeoutMs: 30_000,
      terminationGracePeriodSeconds: 40,
    });
    expect(operatingFigures(12_500).terminationGracePeriodSeconds).toBe(23);
  });

  it('pins prom-client ^15 and @opentelemetry/api ^1.9 as written-out ranges', () => {
    const versions = serviceVersions();
    expect(versions['prom-client']).toMatch(/^\^15\./);
    expect(versions['@opentelemetry/api']).toMatch(/^\^1\.(9|\d{2,})\./);
  });
});
