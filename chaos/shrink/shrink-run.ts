import type { CandidateRun } from './candidate-outcome';
import type { ShrinkRequest } from './shrink-args';
import type { ShrinkOutputs } from './shrink-files';
import { clock, progressLine } from './shrink-log';
import { ShrinkResult, shrink } from './shrink-plan';
import type { ShrinkSubject, SubjectSizes } from './shrink-subject';

/**
 * A failing run made ready to shrink (the lead's wiring: report.json's replay block → schedule and
 * recorded workload; a platform that executes a candidate as a local FIS template + that workload).
 */
export interface ShrinkTarget<F, J> {
  /** The failing run: its schedule's faults, its recorded journeys, its warm-up and tail. */
  readonly subject: ShrinkSubject<F, J>;
  /** The names of the invariants it violated. */
  readonly invariants: readonly string[];
  /** The journeys of the images its violations name: tried alone first (a guess ddmin checks). */
  readonly isFocusJourney?: (journey: J) => boolean;
  /** Faults that act together (ShrinkPlan.faultGroup). */
  readonly faultGroup?: (fault: F) => string;
  /** False when the fault cannot fire in a run of these journeys (ShrinkPlan.canFire). */
  readonly canFire?: (fault: F, journeys: readonly J[]) => boolean;
  runCandidate(subject: ShrinkSubject<F, J>): Promise<CandidateRun>;
  /** Writes the minimal run into `dir` as a local FIS experiment template and a replayable report; the paths written. */
  writeReproduction(minimal: ShrinkSubject<F, J>, dir: string): Promise<readonly string[]>;
  /** Stops what opening the target started (its platform). */
  close(): Promise<void>;
}

export interface ShrinkRunDeps<F, J> {
  openTarget(reportPath: string): Promise<ShrinkTarget<F, J>>;
  openOutputs(dir: string): ShrinkOutputs;
  readonly now: () => number;
  /** A progress line per candidate, then the summary. */
  log(line: string): void;
}

export interface ShrinkRunOutcome<F, J> {
  readonly result: ShrinkResult<F, J>;
  /** Every file written: the log, the minimal subject, the summary, the reproduction. */
  readonly files: readonly string[];
  /** 0 1-minimal; 1 did not reproduce; 3 the budget ended first (the smallest failing subject is written). */
  readonly exitCode: 0 | 1 | 3;
}

/**
 * `npm run chaos -- shrink <report.json>`: shrinks the failing run the report records to a run that
 * fails with the same invariants, logging every candidate, and writes the smallest failing subject
 * found (as JSON, and through the target as a FIS template + replayable report) with a summary.
 */
export async function shrinkRun<F, J>(request: ShrinkRequest, deps: ShrinkRunDeps<F, J>): Promise<ShrinkRunOutcome<F, J>> {
  const target = await deps.openTarget(request.reportPath);
  try {
    if (target.invariants.length === 0) throw new Error(`${request.reportPath} violated no invariant: there is no failure to keep`);
    if (request.invariant !== undefined && !target.invariants.includes(request.invariant))
      throw new Error(
        `${request.reportPath} did not violate ${request.invariant}; it violated ${[...new Set(target.invariants)].join(', ')}`,
      );
    const outputs = deps.openOutputs(request.outDir);
    deps.log(
      `shrinking ${request.reportPath} (violated ${describe(target.invariants, request.invariant)}) within ${clock(request.budgetMs)}`,
    );
    const result = await shrink(target.subject, {
      runCandidate: (subject) => target.runCandidate(subject),
      target: { invariants: target.invariants, ...(request.invariant !== undefined ? { only: request.invariant } : {}) },
      now: deps.now,
      budgetMs: request.budgetMs,
      confirmations: request.confirmations,
      ...(target.isFocusJourney ? { isFocusJourney: target.isFocusJourney } : {}),
      ...(target.faultGroup ? { faultGroup: target.faultGroup } : {}),
      ...(target.canFire ? { canFire: target.canFire } : {}),
      onCandidate: (entry) => {
        outputs.appendLog(entry);
        deps.log(progressLine(entry, request.budgetMs));
      },
    });
    const files = [outputs.logPath, ...(await writeResults(request, target, outputs, result))];
    for (const line of summaryLines(result)) deps.log(line);
    for (const file of files) deps.log(`  wrote ${file}`);
    return { result, files, exitCode: !result.reproduced ? 1 : result.oneMinimal ? 0 : 3 };
  } finally {
    await target.close();
  }
}

async function writeResults<F, J>(
  request: ShrinkRequest,
  target: ShrinkTarget<F, J>,
  outputs: ShrinkOutputs,
  result: ShrinkResult<F, J>,
): Promise<string[]> {
  const { minimal, phases, ...summary } = result;
  const files = [outputs.writeJson('minimal-subject.json', minimal)];
  files.push(
    outputs.writeJson('shrink-summary.json', {
      report: request.reportPath,
      invariants: target.invariants,
      ...(request.invariant !== undefined ? { only: request.invariant } : {}),
      budgetMs: request.budgetMs,
      ...summary,
      phases,
    }),
  );
  if (result.reproduced) files.push(...(await target.writeReproduction(minimal, outputs.dir)));
  return files;
}

function summaryLines(result: ShrinkResult<unknown, unknown>): string[] {
  const { before, after } = result.runSeconds;
  const runTime = before !== undefined && after !== undefined ? `; a run took ${before.toFixed(0)} s, now ${after.toFixed(0)} s` : '';
  const time = `${result.runs} runs (${result.cacheHits} answered from the cache) in ${clock(result.elapsedMs)}${runTime}`;
  if (!result.reproduced) return [`the failure did not reproduce when the whole run was rerun: nothing to shrink (${time})`];
  const state = result.oneMinimal
    ? '1-minimal: removing any one fault or journey no longer fails the same'
    : 'the budget ended first: the smallest failing run found, not proven 1-minimal';
  return [`shrunk ${sizes(result.before)} → ${sizes(result.after)}; ${state}; ${time}`];
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const sizes = (s: SubjectSizes) =>
  `${count(s.faults, 'fault')}, ${count(s.journeys, 'journey')}, warm-up ${s.warmupSeconds} s, tail ${s.tailSeconds} s`;

const describe = (invariants: readonly string[], only: string | undefined) =>
  only !== undefined ? `${only}, the one kept` : [...new Set(invariants)].join(', ');
