/** One label value's buckets (not cumulative: bucket i counts values in (bound[i-1], bound[i]]). */
export interface HistogramSeries {
  readonly buckets: number[];
  sum: number;
  count: number;
}

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

/**
 * A Prometheus histogram kept in plain numbers, for the per-message hot path: `observe` is a
 * bucket scan and three additions (prom-client's Histogram validates and hashes the labels on
 * every call). It quacks like a prom-client metric (name, help, type, get, reset) so a Registry
 * formats and serves it like any other.
 */
export class LocalHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    private readonly upperBounds: readonly number[],
  ) {}

  /** The series of one label value (callers keep it: no lookup per observation). */
  series(labelValue: string): HistogramSeries {
    let series = this.#series.get(labelValue);
    if (series === undefined) {
      series = { buckets: new Array<number>(this.upperBounds.length + 1).fill(0), sum: 0, count: 0 };
      this.#series.set(labelValue, series);
    }
    return series;
  }

  observe(series: HistogramSeries, value: number): void {
    series.sum += value;
    series.count++;
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        (series.buckets[i] as number)++;
        return;
      }
    }
    (series.buckets[bounds.length] as number)++;
  }

  async get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: MetricValue[];
  }> {
    const values: MetricValue[] = [];
    for (const [labelValue, series] of this.#series) {
      let cumulative = 0;
      for (let i = 0; i <= this.upperBounds.length; i++) {
        cumulative += series.buckets[i] as number;
        const le = i < this.upperBounds.length ? (this.upperBounds[i] as number) : '+Inf';
        values.push({
          labels: { [this.labelName]: labelValue, le },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      }
      values.push({
        labels: { [this.labelName]: labelValue },
        value: series.sum,
        metricName: `${this.name}_sum`,
      });
      values.push({
        labels: { [this.labelName]: labelValue },
        value: series.count,
        metricName: `${this.name}_count`,
      });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const series of this.#series.values()) {
      series.buckets.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}
