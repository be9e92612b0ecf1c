import type { CheckResult, HistoryFacts, ThresholdOutcome, Verdict, Violation } from '@imagery/checker';
import type { CoverageRow } from './coverage';
import type { ReplayRecord } from './replay-record';

/**
 * A shaded window of the report's timeline: when a FIS action was active, from its `fis-action`
 * start and end entries, an unended one closed at the run's end. Narrower than the checker's
 * NemesisWindow (libs/checker/src/nemesis-index.ts: any nemesis window, toxics, proxies, kills; open-ended when never closed).
 */
export interface FisActionWindow {
  readonly action: string;
  readonly actionId: string;
  readonly start: number;
  readonly end: number;
}

/** A point event on the timeline: an instance killed or replaced, a stop condition, a violation. */
export interface TimelineMark {
  readonly at: number;
  readonly kind: 'terminated' | 'replaced' | 'died' | 'stopped' | 'started' | 'stop-condition' | 'violation';
  readonly label: string;
}

/** One step of a run and how long it took (wall). */
export interface PhaseTime {
  readonly phase: string;
  readonly ms: number;
}

/**
 * Where a run's wall time went: its plan (warm-up + faults + tail, the time the load runs by
 * design) against its wall, step by step. What is beyond the plan is the runner's overhead.
 */
export interface RunTiming {
  readonly planSeconds: number;
  readonly wallMs: number;
  readonly phases: readonly PhaseTime[];
}

/**
 * Everything a report shows; report.json is this plus the timeline. It carries the verdict's
 * inputs (the check, the history's facts, the thresholds, the drain, whether faults were planned)
 * beside the verdict, so a reader can see why it is what it is.
 */
export interface ReportData {
  readonly experiment: string;
  /** `real`, `seed` or `mutant:<name>` (libs/adversaries). */
  readonly build: string;
  readonly seed: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly fisExperimentId?: string;
  readonly load: { readonly rate: number; readonly durationSeconds: number; readonly requests: number; readonly journeys: number };
  readonly thresholds: readonly ThresholdOutcome[];
  readonly drain: { readonly drained: boolean; readonly waitedMs: number; readonly detail?: string };
  readonly historyFacts: HistoryFacts;
  readonly faultsPlanned: boolean;
  readonly check: CheckResult;
  /** How long reading the final state and checking it took (ms). */
  readonly checkMs?: number;
  readonly verdict: Verdict;
  /** API faults the instances injected during the run (each one a `nemesis` entry of the history). */
  readonly faultsInjected?: number;
  /**
   * The violations the streaming check saw during the run, which raised imagery-invariant-violated
   * and stopped the experiment (with provenance).
   */
  readonly stoppedBy?: readonly Violation[];
  /** Where the run's wall time went, phase by phase, against its plan (every phase, the report's own writing included). */
  readonly timing?: RunTiming;
  /** What `npm run chaos -- replay <report.json>` needs to run it again, and the fault schedule it must reproduce. */
  readonly replay?: ReplayRecord;
  /** Every named recovery path and how often the instances took it during the run (absent where no instance logs it: AWS). */
  readonly coverage?: readonly CoverageRow[];
}
