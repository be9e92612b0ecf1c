/** What the generator has done so far, for a live progress line. */
export interface WorkloadProgress {
  readonly elapsedMs: number;
  /** The arrival phase's planned length (graceful stop not included). */
  readonly totalMs: number;
  readonly requests: number;
  /** Answers that were not 2xx: 4xx, 5xx, network errors, timeouts. */
  readonly errors: number;
  readonly retries: number;
  readonly dropped: number;
  /** Distinct ids seen `processed`, and distinct ids used. */
  readonly processed: number;
  readonly ids: number;
  readonly activeJourneys: number;
  readonly journeysOk: number;
  readonly journeysFailed: number;
}

/** One line: `12.0s/30s  req 1204 (100/s)  err 3  retries 2  dropped 0  processed 118/120 ids  active 9  journeys 110 ok 1 failed`. */
export function progressLine(p: WorkloadProgress): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const rate = p.elapsedMs > 0 ? Math.round((p.requests * 1000) / p.elapsedMs) : 0;
  return (
    `${s(p.elapsedMs)}/${s(p.totalMs)}  req ${p.requests} (${rate}/s)  err ${p.errors}  retries ${p.retries}  dropped ${p.dropped}  ` +
    `processed ${p.processed}/${p.ids} ids  active ${p.activeJourneys}  journeys ${p.journeysOk} ok ${p.journeysFailed} failed`
  );
}

/**
 * The default renderer: on a terminal the line is rewritten in place; otherwise (a log, CI) a new
 * line every `everyMs`. Call `end()` after the last update.
 */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
  everyMs = 5_000,
): { update: (p: WorkloadProgress) => void; end: () => void } {
  let last = 0;
  let drawn = false;
  return {
    update: (p) => {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${progressLine(p)}`);
        drawn = true;
      } else if (p.elapsedMs - last >= everyMs || last === 0) {
        last = Math.max(1, p.elapsedMs);
        stream.write(`${progressLine(p)}\n`);
      }
    },
    end: () => {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
