import type { Registry } from 'prom-client';

export interface Probe {
  status: number;
  body: Record<string, unknown>;
}

/** GET a health server path; the JSON body parsed. */
export async function probe(port: number, path: string): Promise<Probe> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  const text = await res.text();
  return {
    status: res.status,
    body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : { text },
  };
}

/** The value of one series (labels matched exactly on the given keys), undefined if absent. */
export async function metric(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const m = registry.getSingleMetric(name);
  if (m === undefined) return undefined;
  const { values } = await m.get();
  const found = values.find((v) =>
    Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want),
  );
  return found?.value;
}

/** Sum of every series of a metric (e.g. a counter over its partitions). */
export async function metricSum(registry: Registry, name: string, suffix = ''): Promise<number> {
  const m = registry.getSingleMetric(name);
  if (m === undefined) return 0;
  const { values } = await m.get();
  return values
    .filter((v) => (suffix === '' ? true : (v as { metricName?: string }).metricName === `${name}${suffix}`))
    .reduce((sum, v) => sum + v.value, 0);
}
