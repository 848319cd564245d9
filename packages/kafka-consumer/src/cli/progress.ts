import { Presets, SingleBar } from 'cli-progress';

export interface ProgressCounts {
  scanned: number;
  written: number;
}

/**
 * Progress of a redrive: a bar with rate and ETA on a terminal (stderr), a plain line at most once
 * a second otherwise (a log, a CI job). The rate is writes a second; the ETA is for the records
 * left to scan at the scan rate.
 */
export class Progress {
  readonly #bar: SingleBar | undefined;
  readonly #started = performance.now();
  #lastLine = 0;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly label: string,
    /** What a write is called: 'written', or 'to write' in a dry run. */
    private readonly writtenWord = 'written',
  ) {
    if (stream.isTTY === true) {
      this.#bar = new SingleBar(
        {
          stream,
          format: `${label} |{bar}| {value}/{total} scanned | {written} ${writtenWord} | {rate} msg/s | ETA {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
        },
        Presets.shades_classic,
      );
      this.#bar.start(total, 0, { written: 0, rate: '0.0' });
    }
  }

  #rate(written: number): string {
    const seconds = (performance.now() - this.#started) / 1000;
    return seconds > 0 ? (written / seconds).toFixed(1) : '0.0';
  }

  update(counts: ProgressCounts): void {
    const rate = this.#rate(counts.written);
    if (this.#bar !== undefined) {
      this.#bar.update(counts.scanned, { written: counts.written, rate });
      return;
    }
    const now = performance.now();
    if (now - this.#lastLine < 1000 && counts.scanned < this.total) return;
    this.#lastLine = now;
    const elapsed = (now - this.#started) / 1000;
    const left = this.total - counts.scanned;
    const eta = counts.scanned > 0 ? (left * elapsed) / counts.scanned : Number.NaN;
    this.stream.write(
      `${this.label}: ${counts.scanned}/${this.total} scanned, ${counts.written} ${this.writtenWord}, ${rate} msg/s, ETA ${Number.isFinite(eta) ? `${eta.toFixed(1)} s` : '-'}\n`,
    );
  }

  stop(): void {
    this.#bar?.stop();
  }
}
