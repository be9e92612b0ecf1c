import type { CheckResult } from '../checker';
import type { ReplayRecord } from '../runner/replay-record';

/** A window during which a fault was active, from the FIS experiment's per-action times. */
export interface FaultWindow {
  readonly action: string;
  readonly actionId: string;
  readonly start: number;
  readonly end: number;
}

/** A point event on the timeline: an instance killed, a replacement healthy, a stop condition firing. */
export interface TimelineMark {
  readonly at: number;
  readonly kind: 'terminated' | 'replaced' | 'died' | 'stopped' | 'started' | 'stop-condition';
  readonly label: string;
}

export interface ThresholdResult {
  readonly metric: string;
  readonly threshold: string;
  readonly ok: boolean;
}

/** Everything a report shows; report.json is exactly this. */
export interface ReportData {
  readonly experiment: string;
  /** `real`, `seed` or `mutant:<name>` (libs/adversaries). */
  readonly build: string;
  readonly seed: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly fisExperimentId?: string;
  readonly fisState?: string;
  readonly load: { readonly rate: number; readonly durationSeconds: number; readonly requests: number; readonly journeys: number };
  readonly faults: readonly FaultWindow[];
  readonly marks: readonly TimelineMark[];
  readonly thresholds: readonly ThresholdResult[];
  readonly check: CheckResult;
  /** PASS only when the checker found nothing (thresholds are reported, not part of the verdict). */
  readonly verdict: 'PASS' | 'FAIL';
  /** API faults the instances injected during the run (each one a `nemesis` entry of the history). */
  readonly faultsInjected?: number;
  /** What `npm run chaos -- replay <report.json>` needs to run it again, and the fault schedule it must reproduce. */
  readonly replay?: ReplayRecord;
}
