import type { HistoryEntry, WorkloadThreshold } from '@imagery/history/history-entry';
import { actionEffects, type ActionEffect, type ActionEffectKind } from './action-effects';
import { indexHistory } from './history-index';

/**
 * The verdict of a run. PASS needs all five: the checker found nothing, the workload ended
 * normally with a complete history and its thresholds held, the system drained, the FIS
 * experiment completed, and every fault action of it had an effect (action-effects.ts).
 *  - INCOMPLETE: the history cannot be judged as a whole — no workload `end`, an invocation without
 *    a completion, a workload aborted by a signal, an experiment that failed or never ended. The
 *    checker's findings are listed but cannot be trusted on a partial history (ids it never saw
 *    look like items nobody asked for).
 *  - FAIL: a violation; a workload threshold crossed (named; also when it aborted the workload);
 *    the drain timed out (the system did not finish its work in time).
 *  - INCONCLUSIVE: nothing failed, but a planned experiment had a fault action that fired zero
 *    times (or no fault action at all): a chaos verdict with no chaos proves nothing. A violation
 *    is real evidence whatever the faults did, so a FAIL stays a FAIL.
 *  - STOPPED: everything held, but a stop condition (or a StopExperiment) ended the faults early,
 *    so the experiment did not test what it planned. Not a PASS.
 * Order: INCOMPLETE > FAIL > INCONCLUSIVE > STOPPED > PASS; every failed condition is listed in `reasons`.
 */
export type VerdictOutcome = 'PASS' | 'FAIL' | 'INCONCLUSIVE' | 'STOPPED' | 'INCOMPLETE';

export type VerdictCondition = 'checker' | 'workload' | 'thresholds' | 'drain' | 'fis' | 'faults';

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
  /** Why the workload's `end` says it was aborted, when it says. */
  readonly workloadAbortReason?: string;
  /** How many thresholds the workload's `start` announced, and those its `end` recorded (absent: none recorded). */
  readonly thresholdCount?: number;
  readonly workloadThresholds?: readonly WorkloadThreshold[];
  /** Each fault action of the history and how many effects it had (action-effects.ts). */
  readonly faultEffects: readonly ActionEffect[];
}

export interface VerdictInputs {
  readonly check: { readonly ok: boolean; readonly violations: readonly { readonly invariant: string }[] };
  readonly history: HistoryFacts;
  /** The runner's judged thresholds; absent (the checker CLI), those the workload's `end` recorded are judged. */
  readonly thresholds?: readonly ThresholdOutcome[];
  readonly drain: { readonly drained: boolean; readonly waitedMs: number; readonly detail?: string };
  /** Whether this run injected faults at all: a baseline without an experiment needs no FIS outcome. */
  readonly faultsPlanned: boolean;
  /** Each fault action and how often it fired (judgeRun passes historyFacts' own). */
  readonly faultEffects: readonly ActionEffect[];
}

/**
 * The recorded thresholds a verdict judges: latency under faults on a shared machine is reported,
 * not judged (as the runner does); failed journeys and checks are.
 */
export function judgedThresholds(recorded: readonly WorkloadThreshold[]): ThresholdOutcome[] {
  return recorded
    .filter((t) => !t.metric.startsWith('http_req_duration'))
    .map((t) => {
      const detail = t.value === undefined ? 'no samples' : `value ${Math.round(t.value * 1000) / 1000}`;
      return { name: `${t.metric}: ${t.expression}`, ok: t.ok, detail };
    });
}

export function historyFacts(history: readonly HistoryEntry[]): HistoryFacts {
  const index = indexHistory(history);
  const workload = history.filter((e): e is Extract<HistoryEntry, { type: 'workload' }> => e.type === 'workload');
  const end = workload.find((e) => e.phase === 'end');
  const start = workload.find((e) => e.phase === 'start');
  let fis: HistoryFacts['fis'];
  for (const n of index.nemesis) {
    if (n.event.kind !== 'fis-experiment') continue;
    fis =
      n.event.phase === 'start'
        ? { state: 'running' }
        : { state: n.event.state ?? 'ended', ...(n.event.reason ? { reason: n.event.reason } : {}) };
  }
  return {
    workloadStarted: workload.some((e) => e.phase === 'start'),
    ...(end ? { workloadOutcome: end.outcome ?? 'completed' } : {}),
    openInvocations: index.operations.filter((o) => !o.completion).length,
    orphanCompletions: index.unmatchedCompletions.length,
    ...(fis ? { fis } : {}),
    ...(end?.reason ? { workloadAbortReason: end.reason } : {}),
    ...(start?.thresholdCount !== undefined ? { thresholdCount: start.thresholdCount } : {}),
    ...(end?.thresholds ? { workloadThresholds: end.thresholds } : {}),
    faultEffects: actionEffects(history),
  };
}

const RANK: Record<VerdictOutcome, number> = { PASS: 0, STOPPED: 1, INCONCLUSIVE: 2, FAIL: 3, INCOMPLETE: 4 };

/** What "fired" would have looked like, per kind: said when an action shows none of it. */
const NO_EFFECT: Record<ActionEffectKind, string> = {
  api: 'no instance injected a fault of its rule',
  instance: 'no instance was terminated, stopped or died during it',
  network: 'no toxic or cut proxy was seen in place in Toxiproxy during it',
};

export function verdictOf(inputs: VerdictInputs): Verdict {
  const reasons: VerdictReason[] = [];
  const add: AddReason = (condition, outcome, message) => void reasons.push({ condition, outcome, message });
  const h = inputs.history;
  const thresholds = inputs.thresholds ?? judgedThresholds(h.workloadThresholds ?? []);
  const crossed = thresholds.filter((t) => !t.ok);

  if (!h.workloadStarted) add('workload', 'INCOMPLETE', 'the history has no workload start');
  if (h.workloadOutcome === undefined)
    add(
      'workload',
      'INCOMPLETE',
      'the history has no workload end: the load generator did not finish (crashed or killed), the history is cut short',
    );
  if (h.openInvocations > 0)
    add('workload', 'INCOMPLETE', `${h.openInvocations} invocation(s) without a completion: the history is cut short`);
  if (h.orphanCompletions > 0)
    add('workload', 'INCOMPLETE', `${h.orphanCompletions} completion(s) without an invocation: the history is damaged`);
  if (h.workloadOutcome === 'aborted') {
    const why = h.workloadAbortReason ?? 'a signal, not a threshold';
    if (crossed.length > 0)
      add('workload', 'FAIL', `the workload aborted on a crossed threshold (${crossed.map((t) => t.name).join(', ')})`);
    else add('workload', 'INCOMPLETE', `the workload was aborted (${why}): it did not run its course`);
  }
  // An `end` without the thresholds its `start` announced: they were never evaluated, so they cannot have held.
  if (h.workloadOutcome === 'completed' && (h.thresholdCount ?? 0) > 0 && h.workloadThresholds === undefined) {
    const announced = `the workload announced ${h.thresholdCount} threshold(s)`;
    add('thresholds', 'INCOMPLETE', `${announced} but its end records none: they were never evaluated`);
  }

  if (!inputs.check.ok) {
    const by = new Map<string, number>();
    for (const v of inputs.check.violations) by.set(v.invariant, (by.get(v.invariant) ?? 0) + 1);
    add('checker', 'FAIL', `${inputs.check.violations.length} violation(s): ${[...by].map(([name, n]) => `${name} ${n}`).join(', ')}`);
  }
  for (const t of crossed) add('thresholds', 'FAIL', `threshold ${t.name} crossed${t.detail ? `: ${t.detail}` : ''}`);
  if (!inputs.drain.drained) {
    add(
      'drain',
      'FAIL',
      `the drain did not complete after ${Math.round(inputs.drain.waitedMs / 1000)} s` +
        `${inputs.drain.detail ? ` (${inputs.drain.detail})` : ''}`,
    );
  }

  if (inputs.faultsPlanned) addFaultReasons(inputs, add);

  const outcome = reasons.reduce<VerdictOutcome>((worst, r) => (RANK[r.outcome] > RANK[worst] ? r.outcome : worst), 'PASS');
  return { outcome, reasons };
}

type AddReason = (condition: VerdictCondition, outcome: VerdictReason['outcome'], message: string) => void;

/** With faults planned: did the FIS experiment complete, and did each of its fault actions have an effect? */
function addFaultReasons(inputs: VerdictInputs, add: AddReason): void {
  const fis = inputs.history.fis;
  if (!fis) add('fis', 'INCOMPLETE', 'no FIS experiment in the history: the faults were never recorded as started');
  else if (fis.state === 'stopped' || fis.state === 'stopping')
    add('fis', 'STOPPED', `the FIS experiment was stopped early${fis.reason ? `: ${fis.reason}` : ''}`);
  else if (fis.state !== 'completed')
    add('fis', 'INCOMPLETE', `the FIS experiment ended ${fis.state}${fis.reason ? `: ${fis.reason}` : ''}, not completed`);
  if (fis && inputs.faultEffects.length === 0) {
    add('faults', 'INCONCLUSIVE', 'the experiment ran no fault action with an effect to observe: nothing was tested under faults');
  }
  for (const f of inputs.faultEffects.filter((e) => e.fired === 0)) {
    add('faults', 'INCONCLUSIVE', `fault action ${f.action} (${f.actionId}) had no effect: ${NO_EFFECT[f.kind]}`);
  }
}

/** "FAIL: checker: 2 violation(s) ...; drain: ..." — the verdict in one line for a terminal. */
export function formatVerdict(verdict: Verdict): string {
  if (verdict.outcome === 'PASS') {
    const held = 'checker clean, workload completed with a complete history and its thresholds held, drained';
    return `verdict: PASS (${held}, FIS experiment completed, every fault fired)`;
  }
  return [`verdict: ${verdict.outcome}`, ...verdict.reasons.map((r) => `  - ${r.condition} (${r.outcome}): ${r.message}`)].join('\n');
}

/**
 * The CLIs' exit codes (the checker's, the runner's): 0 PASS; 1 FAIL, INCOMPLETE or STOPPED
 * (something broke, or could not be judged, or was cut short); 3 INCONCLUSIVE (nothing failed, but
 * the faults had no effect: distinct, so a script can tell "no chaos" from "broken"). 2 is a usage
 * error. Several verdicts (a matrix): 1 if any is 1, else 3 if any is 3.
 */
export function exitCodeOf(outcomes: readonly (VerdictOutcome | 'ERROR')[]): number {
  const codes = outcomes.map((o) => (o === 'PASS' ? 0 : o === 'INCONCLUSIVE' ? 3 : 1));
  return codes.includes(1) ? 1 : codes.includes(3) ? 3 : 0;
}
