import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MUTANTS, SEED, AdversaryDefinition, Catcher, mutantNamed } from '@imagery/adversaries';
import { parseChaosBuild } from '@imagery/nest-platform';
import { repoRoot } from '@imagery/kernel/repo-root';
import { MatrixRun, formatMatrix, runOutcome, summarizeMatrix } from './mutation-matrix';
import { MutationPlatform } from './mutation-platform';
import { buildMutationReport, writeMutationReport } from './mutation-report';
import { mutationJunitSuite } from './mutation-junit';
import { JUNIT_FILE, writeJunit } from '../report/junit-report';
import { wallSecondsOf } from '../report/junit-case';
import type { ExperimentRunResult } from './experiment/run-options';
import { runExperiment } from './run-experiment';

/** `--build`: real, seed, or a mutant's bare name; the CHAOS_BUILD the instances get. */
export function chaosBuildOf(value: string): string {
  if (value === 'real' || value === 'seed') return value;
  const name = value.startsWith('mutant:') ? value.slice('mutant:'.length) : value;
  mutantNamed(name); // refuses an unknown name, listing the known ones
  parseChaosBuild(`mutant:${name}`);
  return `mutant:${name}`;
}

/** Options of `npm run chaos -- mutants`, as parsed by the CLI (strings); short runs by default. */
export interface MutantsCommandValues {
  readonly seed?: string;
  readonly rate?: string;
  readonly warmup?: string;
  readonly tail?: string;
  readonly 'max-fault-seconds'?: string;
  readonly 'drain-timeout'?: string;
  readonly 'journey-timeout'?: string;
  readonly 'sepia-sample'?: string;
  readonly 'bad-share'?: string;
  /** The mutation score (percent) below which the command exits 1, as Stryker's thresholds.break. Default 100. */
  readonly break?: string;
  /** Run every catcher of an adversary, not only until one has killed it (the full matrix). */
  readonly 'every-catcher'?: boolean;
}

/** A catcher's column in the matrix: its experiment, and the workload knobs it adds, if any. */
export const catcherLabel = (c: Pick<Catcher, 'experiment' | 'workload'>): string =>
  c.workload && Object.keys(c.workload).length
    ? `${c.experiment} (${Object.entries(c.workload)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`
    : c.experiment;

/** `seed` or a mutant's name: the adversaries a command line names, all of them by default. */
const adversaryNamed = (name: string): AdversaryDefinition => (name === 'seed' ? SEED : mutantNamed(name));

/**
 * `npm run chaos -- mutants [name...]`: the seed build and each mutant against its catchers (until
 * one kills it, or all of them with --every-catcher), then the real build against every experiment
 * an adversary ran (same experiments, same workloads), all on one platform (mutation-platform.ts);
 * prints the matrix and the mutation score, and writes the runs and a Stryker-schema mutation report.
 * Exit 1 if the score is below --break (default 100) or the real build does not PASS everything.
 */
export async function runMutantsCommand(names: readonly string[], values: MutantsCommandValues): Promise<number> {
  const mutants: AdversaryDefinition[] = names.length ? names.map(adversaryNamed) : [SEED, ...MUTANTS];
  const number = (name: Exclude<keyof MutantsCommandValues, 'every-catcher'>, fallback: number) => {
    const n = Number(values[name] ?? fallback);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
    return n;
  };
  // Short by default: these runs exist to be caught, not to soak.
  const options = {
    seed: number('seed', 1),
    rate: number('rate', 5),
    // Two seconds of load put images in flight when the faults start (at 5 images/s, ten journeys begun).
    warmupSeconds: number('warmup', 2),
    tailSeconds: number('tail', 5),
    maxFaultSeconds: number('max-fault-seconds', 15),
    // Faults end within 15 s and the repair sweep re-enqueues an image stuck 10 s within 1 s more: the real
    // build's slowest journey over a whole matrix took 12.9 s (upload to processed). A journey that
    // waits longer only waits for a mutant that never recovers (no-repair-sweep's stuck images waited 45 s + 30 s),
    // and the drain's 20 s count from the last write or fault, not from the last journey's end
    // (experiment/drain-budget.ts). The real build runs with the same limits and must PASS.
    drainTimeoutMs: number('drain-timeout', 20) * 1000,
    processTimeoutSeconds: number('journey-timeout', 30),
    sepiaSample: number('sepia-sample', 0),
    badShare: number('bad-share', 0.1),
  };
  const breakAt = number('break', 100);
  if (breakAt > 100) throw new Error('--break is a percentage: 0 to 100');
  const started = Date.now();
  const runs = await runMatrix(mutants, options, values['every-catcher'] ?? false);
  console.log(`\nthe mutation matrix took ${Math.round((Date.now() - started) / 1000)} s (${runs.length} runs on one platform)`);

  // The runs themselves, so the matrix can be read again (or judged by another rule) without rerunning,
  // and the same as a StrykerJS mutation-testing report (JSON + a self-contained HTML page).
  const dir = join(repoRoot(), 'chaos', 'reports', `mutants-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'runs.json'), JSON.stringify({ options, breakAt, runs }, null, 2));
  const report = writeMutationReport(dir, buildMutationReport({ adversaries: mutants, runs, breakAt, root: repoRoot() }));
  await writeJunit(join(dir, JUNIT_FILE), mutationJunitSuite(runs, started, { command: 'chaos mutants', ...options, breakAt }));
  const summary = summarizeMatrix(runs);
  console.log(`\n${formatMatrix(runs)}\n(runs saved in ${join(dir, 'runs.json')}; mutation report ${report.html})`);
  for (const m of mutants.filter((m) => m.maskedBy && !summary.killed.includes(m.name))) {
    console.log(`  ${m.name} is masked by ${m.maskedBy}`);
  }
  return mutantsExitCode(summary, breakAt);
}

/** Every adversary's runs, then the real build's on what they ran: one platform, the fleet relaunched per build. */
async function runMatrix(mutants: readonly AdversaryDefinition[], o: RunOptions, everyCatcher: boolean): Promise<MatrixRun[]> {
  const platform = await MutationPlatform.start(buildOf(mutants[0]), o.seed, (l) => console.log(`  ${l}`));
  const restore = useDirectEnv(platform);
  const onSignal = (signal: string) => {
    console.log(`\n${signal}: stopping the platform`);
    void platform.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await scheduleMatrix(mutants, (build, catcher) => runCatcher(platform, build, catcher, o), { everyCatcher });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await platform.close();
    restore();
  }
}

/** CHAOS_BUILD of an adversary: `seed` or `mutant:<name>`. */
const buildOf = (mutant: AdversaryDefinition) => (mutant.name === SEED.name ? 'seed' : `mutant:${mutant.name}`);

/**
 * What the matrix runs, in order: each adversary's catchers until one kills it (all of them with
 * `everyCatcher`: another kill adds no evidence to the score), then the real build once against
 * every experiment and workload an adversary ran, which it must PASS.
 */
export async function scheduleMatrix(
  mutants: readonly AdversaryDefinition[],
  runOne: (build: string, catcher: BuildCatcher) => Promise<BuildResult>,
  options: { readonly everyCatcher: boolean },
): Promise<MatrixRun[]> {
  const runs: MatrixRun[] = [];
  const ran = new Map<string, BuildCatcher>();
  for (const mutant of mutants) {
    console.log(`\n### ${buildOf(mutant)}: ${mutant.description}`);
    for (const catcher of mutant.catchers) {
      const run = { ...toRun(mutant.name, await runOne(buildOf(mutant), catcher)), expected: catcher.invariant };
      runs.push(run);
      ran.set(catcherLabel(catcher), catcher);
      if (!options.everyCatcher && runOutcome(run) === 'killed') break;
    }
  }
  console.log(`\n### the real build, against the same ${ran.size} experiment(s)`);
  for (const catcher of ran.values()) runs.push(toRun('real', await runOne('real', catcher)));
  return runs;
}

/** The checker reads the resources directly, as in cli.ts; returns what puts process.env back. */
function useDirectEnv(platform: MutationPlatform): () => void {
  const { directEnv } = platform;
  const saved = { ...process.env };
  Object.assign(process.env, directEnv);
  return () => {
    for (const key of Object.keys(directEnv)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  };
}

/** 1 below the break threshold (percent) or when the real build did not PASS every experiment. */
export function mutantsExitCode(summary: ReturnType<typeof summarizeMatrix>, breakAt: number): number {
  const belowBreak = summary.score * 100 < breakAt;
  if (belowBreak) console.log(`mutation score ${Math.round(summary.score * 100)} % is below --break ${breakAt} %`);
  return belowBreak || summary.realFailed.length > 0 || summary.mutants === 0 ? 1 : 0;
}

export interface BuildResult {
  readonly experiment: string;
  readonly result?: ExperimentRunResult;
  /** Why the run itself failed (String of what it threw). */
  readonly error?: string;
}

interface RunOptions {
  seed: number;
  rate: number;
  warmupSeconds: number;
  tailSeconds: number;
  maxFaultSeconds: number;
  drainTimeoutMs: number;
  processTimeoutSeconds: number;
  sepiaSample: number;
  badShare: number;
}

export type BuildCatcher = Pick<Catcher, 'experiment' | 'workload'>;

/** One catcher's experiment against `build` (the platform switched to it first); a run that breaks is reported, not thrown. */
async function runCatcher(platform: MutationPlatform, build: string, catcher: BuildCatcher, o: RunOptions): Promise<BuildResult> {
  const experiment = catcherLabel(catcher);
  try {
    const session = await platform.sessionFor(build);
    const result = await runExperiment(session, {
      experiment: catcher.experiment,
      ...(catcher.workload ? { workload: catcher.workload } : {}),
      ...o,
      // Relaunched on a store proven empty, or drained since the last run: the idle wait is one read.
      platformIdle: platform.takeIdle(),
      reportsDir: join(repoRoot(), 'chaos', 'reports'),
      log: (l) => console.log(`  ${l}`),
      status: () => undefined,
    });
    platform.ranRun(result.report.drain.drained);
    const invariants = [...new Set(result.report.check.violations.map((v) => v.invariant))];
    console.log(`  ${build} × ${experiment}: ${result.report.verdict.outcome}${invariants.length ? ` (${invariants.join(', ')})` : ''}`);
    return { experiment, result };
  } catch (error) {
    console.error(`  ${build} × ${experiment}: the run itself failed: ${error instanceof Error ? error.message : String(error)}`);
    return { experiment, error: String(error) };
  }
}

function toRun(build: string, r: BuildResult): MatrixRun {
  return {
    build,
    experiment: r.experiment,
    verdict: r.result?.report.verdict.outcome,
    invariants: r.result?.report.check.violations.map((v) => v.invariant) ?? [],
    reasons: r.result?.report.verdict.reasons.map((reason) => `${reason.condition}: ${reason.message}`) ?? [],
    error: r.error,
    ...(r.result ? { wallSeconds: wallSecondsOf(r.result.report), reportDir: r.result.reportDir } : {}),
  };
}
