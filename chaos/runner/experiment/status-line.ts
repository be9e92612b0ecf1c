import type { WorkloadProgress } from '../../../load/engine/progress';

export interface RunStatus {
  readonly experiment: string;
  readonly phase: string;
  readonly elapsedSeconds: number;
  readonly loadSeconds: number;
  readonly progress: WorkloadProgress | undefined;
  /** The FIS actions running now. */
  readonly faults: readonly string[];
  /** API faults the instances injected so far. */
  readonly injected: number;
  readonly kills: number;
}

/** The one line a terminal shows (and rewrites) while a run goes. */
export function statusLine(s: RunStatus): string {
  const p = s.progress;
  return (
    `${s.experiment} [${s.phase}] ${s.elapsedSeconds}s/${s.loadSeconds}s · ` +
    `${p?.requests ?? 0} req, ${p?.errors ?? 0} errors, ${p?.retries ?? 0} retries, ${p?.processed ?? 0}/${p?.ids ?? 0} processed · ` +
    `faults: ${s.faults.length ? s.faults.join(', ') : 'none'} · ${s.injected} API faults injected · kills: ${s.kills}`
  );
}
