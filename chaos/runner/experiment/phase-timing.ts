import type { PhaseTime, RunTiming } from '../../report/report-data';

/** The phase whose time is the plan itself: its wall beyond the plan is the load's overrun. */
export const LOAD_PHASE = 'load (warm-up + faults + tail)';

/** Times a run's steps one after the other: each `time` call is one phase of the table. */
export class PhaseClock {
  private readonly startedAt: number;
  private readonly phases: PhaseTime[] = [];
  /** The phase under way: a timing read during it counts it up to now. */
  private running?: { readonly phase: string; readonly started: number };

  constructor(private readonly now: () => number = () => performance.now()) {
    this.startedAt = now();
  }

  async time<T>(phase: string, step: () => Promise<T>): Promise<T> {
    const started = this.now();
    this.running = { phase, started };
    try {
      return await step();
    } finally {
      this.running = undefined;
      this.phases.push({ phase, ms: Math.round(this.now() - started) });
    }
  }

  timing(planSeconds: number): RunTiming {
    const now = this.now();
    const running = this.running ? [{ phase: this.running.phase, ms: Math.round(now - this.running.started) }] : [];
    return { planSeconds, wallMs: Math.round(now - this.startedAt), phases: [...this.phases, ...running] };
  }
}

/** Overhead = wall − plan; the target is wall ≤ 1.05 × plan + 5 s. */
export function overheadOf(t: RunTiming): { readonly overheadMs: number; readonly withinTarget: boolean } {
  const planMs = t.planSeconds * 1000;
  return { overheadMs: t.wallMs - planMs, withinTarget: t.wallMs <= 1.05 * planMs + 5_000 };
}

/** The table printed at the end of a run: "plan X s, wall Y s", then each phase (the load's beyond its plan). */
export function formatTiming(t: RunTiming): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const { overheadMs, withinTarget } = overheadOf(t);
  const target = 1.05 * t.planSeconds + 5;
  const rows = t.phases.map((p) => {
    const beyond = p.phase === LOAD_PHASE ? ` (${s(p.ms - t.planSeconds * 1000)} beyond the plan)` : '';
    return `  ${p.phase.padEnd(32)}${s(p.ms).padStart(10)}${beyond}`;
  });
  return [
    `plan ${t.planSeconds} s, wall ${s(t.wallMs)}: overhead ${s(overheadMs)} ` +
      `(target wall <= ${target.toFixed(1)} s: ${withinTarget ? 'MEETS' : 'MISSES'})`,
    ...rows,
  ].join('\n');
}
