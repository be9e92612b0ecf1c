import type { HistoryEntry } from '../history/history-entry';
import { indexHistory } from './history-index';

/**
 * The verdict of a run. PASS needs all four: the checker found nothing, the workload ended
 * normally with a complete history, the system drained, the FIS experiment completed.
 *  - INCOMPLETE: the history cannot be judged as a whole — no workload `end`, an invocation without
 *    a completion, a workload aborted by a signal, an experiment that failed or never ended. The
 *    checker's findings are listed but cannot be trusted on a partial history (ids it never saw
 *    look like items nobody asked for).
 *  - FAIL: a violation; a workload threshold crossed (named; also when it aborted the workload);
 *    the drain timed out (the system did not finish its work in time).
 *  - STOPPED: everything held, but a stop condition (or a StopExperiment) ended the faults early,
 *    so the experiment did not test what it planned. Not a PASS.
 * Order: INCOMPLETE > FAIL > STOPPED > PASS; every failed condition is listed in `reasons`.
 */
export type VerdictOutcome = 'PASS' | 'FAIL' | 'STOPPED' | 'INCOMPLETE';

export type VerdictCondition = 'checker' | 'workload' | 'thresholds' | 'drain' | 'fis';

export interface VerdictReason {
  readonly condition: VerdictCondition;
  /** What this reason makes the verdict at least. */
  readonly outcome: Exclude<VerdictOutcome, 'PASS'>;
  readonly message: string;
}

export interface Verdict {
  readonly outcome: VerdictOutcome;
  readonly reasons: readonly VerdictReason[];
}

/** A workload threshold (p95/p99 of successful requests, failed journeys, checks) and whether it held. */
export interface ThresholdOutcome {
  readonly name: string;
  readonly ok: boolean;
  /** e.g. "p95 = 812 ms > 500 ms". */
  readonly detail?: string;
}

/** What the history says about how the workload and the nemesis ended (historyFacts derives it). */
export interface HistoryFacts {
  readonly workloadStarted: boolean;
  /** The workload's `end` entry's outcome; undefined when there is none (the generator died). */
  readonly workloadOutcome?: 'completed' | 'aborted';
  /** Invocations without a completion. */
  readonly openInvocations: number;
  /** Completions naming no invocation. */
  readonly orphanCompletions: number;
  /** The FIS experiment's final state and reason from its `fis-experiment` end entry; `running` when it started and never ended. */
  readonly fis?: { readonly state: string; readonly reason?: string };
}

export interface VerdictInputs {
  readonly check: { readonly ok: boolean; readonly violations: readonly { readonly invariant: string }[] };
  readonly history: HistoryFacts;
  readonly thresholds: readonly ThresholdOutcome[];
  readonly drain: { readonly drained: boolean; readonly waitedMs: number; readonly detail?: string };
  /** Whether this run injected faults at all: a baseline without an experiment needs no FIS outcome. */
  readonly faultsPlanned: boolean;
}

export function historyFacts(history: readonly HistoryEntry[]): HistoryFacts {
  const index = indexHistory(history);
  const workload = history.filter((e): e is Extract<HistoryEntry, { type: 'workload' }> => e.type === 'workload');
  const end = workload.find((e) => e.phase === 'end');
  let fis: HistoryFacts['fis'];
  for (const n of index.nemesis) {
    if (n.event.kind !== 'fis-experiment') continue;
    fis = n.event.phase === 'start' ? { state: 'running' } : { state: n.event.state ?? 'ended', ...(n.event.reason ? { reason: n.event.reason } : {}) };
  }
  return {
    workloadStarted: workload.some((e) => e.phase === 'start'),
    ...(end ? { workloadOutcome: end.outcome ?? 'completed' } : {}),
    openInvocations: index.operations.filter((o) => !o.completion).length,
    orphanCompletions: index.unmatchedCompletions.length,
    ...(fis ? { fis } : {}),
  };
}

const RANK: Record<VerdictOutcome, number> = { PASS: 0, STOPPED: 1, FAIL: 2, INCOMPLETE: 3 };

export function verdictOf(inputs: VerdictInputs): Verdict {
  const reasons: VerdictReason[] = [];
  const add = (condition: VerdictCondition, outcome: VerdictReason['outcome'], message: string) => reasons.push({ condition, outcome, message });
  const h = inputs.history;
  const crossed = inputs.thresholds.filter((t) => !t.ok);

  if (!h.workloadStarted) add('workload', 'INCOMPLETE', 'the history has no workload start');
  if (h.workloadOutcome === undefined) add('workload', 'INCOMPLETE', 'the history has no workload end: the load generator did not finish (crashed or killed), the history is cut short');
  if (h.openInvocations > 0) add('workload', 'INCOMPLETE', `${h.openInvocations} invocation(s) without a completion: the history is cut short`);
  if (h.orphanCompletions > 0) add('workload', 'INCOMPLETE', `${h.orphanCompletions} completion(s) without an invocation: the history is damaged`);
  if (h.workloadOutcome === 'aborted') {
    if (crossed.length > 0) add('workload', 'FAIL', `the workload aborted on a crossed threshold (${crossed.map((t) => t.name).join(', ')})`);
    else add('workload', 'INCOMPLETE', 'the workload was aborted (a signal, not a threshold): it did not run its course');
  }

  if (!inputs.check.ok) {
    const by = new Map<string, number>();
    for (const v of inputs.check.violations) by.set(v.invariant, (by.get(v.invariant) ?? 0) + 1);
    add('checker', 'FAIL', `${inputs.check.violations.length} violation(s): ${[...by].map(([name, n]) => `${name} ${n}`).join(', ')}`);
  }
  for (const t of crossed) add('thresholds', 'FAIL', `threshold ${t.name} crossed${t.detail ? `: ${t.detail}` : ''}`);
  if (!inputs.drain.drained) {
    add('drain', 'FAIL', `the drain did not complete after ${Math.round(inputs.drain.waitedMs / 1000)} s${inputs.drain.detail ? ` (${inputs.drain.detail})` : ''}`);
  }

  if (inputs.faultsPlanned) {
    const fis = h.fis;
    if (!fis) add('fis', 'INCOMPLETE', 'no FIS experiment in the history: the faults were never recorded as started');
    else if (fis.state === 'stopped' || fis.state === 'stopping') add('fis', 'STOPPED', `the FIS experiment was stopped early${fis.reason ? `: ${fis.reason}` : ''}`);
    else if (fis.state !== 'completed') add('fis', 'INCOMPLETE', `the FIS experiment ended ${fis.state}${fis.reason ? `: ${fis.reason}` : ''}, not completed`);
  }

  const outcome = reasons.reduce<VerdictOutcome>((worst, r) => (RANK[r.outcome] > RANK[worst] ? r.outcome : worst), 'PASS');
  return { outcome, reasons };
}

/** "FAIL: checker: 2 violation(s) ...; drain: ..." — the verdict in one line for a terminal. */
export function formatVerdict(verdict: Verdict): string {
  if (verdict.outcome === 'PASS') return 'verdict: PASS (checker clean, workload completed with a complete history, drained, FIS experiment completed)';
  return [`verdict: ${verdict.outcome}`, ...verdict.reasons.map((r) => `  - ${r.condition} (${r.outcome}): ${r.message}`)].join('\n');
}
