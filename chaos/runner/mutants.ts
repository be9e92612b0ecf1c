import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MUTANTS, SEED, AdversaryDefinition, Catcher, mutantNamed } from '@imagery/adversaries';
import { parseChaosBuild } from '@imagery/nest-platform';
import { repoRoot } from '@imagery/kernel/repo-root';
import { MatrixRun, formatMatrix, summarizeMatrix } from './mutation-matrix';
import { buildMutationReport, writeMutationReport } from './mutation-report';
import { PlatformSession } from '../../platform/local/session';
import { startLocalSession } from './local-session';
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
  readonly 'sepia-sample'?: string;
  readonly 'bad-share'?: string;
  /** The mutation score (percent) below which the command exits 1, as Stryker's thresholds.break. Default 100. */
  readonly break?: string;
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
 * `npm run chaos -- mutants [name...]`: the seed build and each mutant on its own platform against
 * its catchers, then the real build against all of those (same experiments, same workloads); prints
 * the matrix and the mutation score, and writes the runs and a Stryker-schema mutation report.
 * Exit 1 if the score is below --break (default 100) or the real build does not PASS everything.
 */
export async function runMutantsCommand(names: readonly string[], values: MutantsCommandValues): Promise<number> {
  const mutants: AdversaryDefinition[] = names.length ? names.map(adversaryNamed) : [SEED, ...MUTANTS];
  const number = (name: keyof MutantsCommandValues, fallback: number) => {
    const n = Number(values[name] ?? fallback);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
    return n;
  };
  // Short by default: these runs exist to be caught, not to soak.
  const options = {
    seed: number('seed', 1),
    rate: number('rate', 5),
    warmupSeconds: number('warmup', 3),
    tailSeconds: number('tail', 5),
    maxFaultSeconds: number('max-fault-seconds', 15),
    drainTimeoutMs: number('drain-timeout', 60) * 1000,
    sepiaSample: number('sepia-sample', 0),
    badShare: number('bad-share', 0.1),
  };
  const breakAt = number('break', 100);
  if (breakAt > 100) throw new Error('--break is a percentage: 0 to 100');
  const runs: MatrixRun[] = [];
  for (const mutant of mutants) {
    const build = mutant.name === SEED.name ? 'seed' : `mutant:${mutant.name}`;
    console.log(`\n### ${build}: ${mutant.description}`);
    const results = await runBuild(build, mutant.catchers, options);
    for (const [i, r] of results.entries()) runs.push({ ...toRun(mutant.name, r), expected: mutant.catchers[i].invariant });
  }
  // Once per experiment and workload: the real build must PASS exactly what the adversaries ran.
  const catchers = [...new Map(mutants.flatMap((m) => m.catchers).map((c) => [catcherLabel(c), c])).values()];
  console.log(`\n### the real build, against the same ${catchers.length} experiment(s)`);
  for (const r of await runBuild('real', catchers, options)) runs.push(toRun('real', r));

  // The runs themselves, so the matrix can be read again (or judged by another rule) without rerunning,
  // and the same as a StrykerJS mutation-testing report (JSON + a self-contained HTML page).
  const dir = join(repoRoot(), 'chaos', 'reports', `mutants-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'runs.json'), JSON.stringify({ options, breakAt, runs }, null, 2));
  const report = writeMutationReport(dir, buildMutationReport({ adversaries: mutants, runs, breakAt, root: repoRoot() }));
  const summary = summarizeMatrix(runs);
  console.log(`\n${formatMatrix(runs)}\n(runs saved in ${join(dir, 'runs.json')}; mutation report ${report.html})`);
  for (const m of mutants.filter((m) => m.maskedBy && !summary.killed.includes(m.name))) {
    console.log(`  ${m.name} is masked by ${m.maskedBy}`);
  }
  return mutantsExitCode(summary, breakAt);
}

/** 1 below the break threshold (percent) or when the real build did not PASS every experiment. */
export function mutantsExitCode(summary: ReturnType<typeof summarizeMatrix>, breakAt: number): number {
  const belowBreak = summary.score * 100 < breakAt;
  if (belowBreak) console.log(`mutation score ${Math.round(summary.score * 100)} % is below --break ${breakAt} %`);
  return belowBreak || summary.realFailed.length > 0 || summary.mutants === 0 ? 1 : 0;
}

interface BuildResult {
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
  sepiaSample: number;
  badShare: number;
}

type BuildCatcher = Pick<Catcher, 'experiment' | 'workload'>;

async function runBuild(build: string, catchers: readonly BuildCatcher[], o: RunOptions): Promise<BuildResult[]> {
  const session: PlatformSession = await startLocalSession({ build, seed: o.seed, quiet: true, log: (l) => console.log(`  ${l}`) });
  const onSignal = (signal: string) => {
    console.log(`\n${signal}: stopping the ${build} platform`);
    void session.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const saved = { ...process.env };
  Object.assign(process.env, session.directEnv); // the checker reads the resources directly, as in cli.ts
  const results: BuildResult[] = [];
  try {
    for (const catcher of catchers) {
      const experiment = catcherLabel(catcher);
      try {
        const result = await runExperiment(session, {
          experiment: catcher.experiment,
          ...(catcher.workload ? { workload: catcher.workload } : {}),
          ...o,
          reportsDir: join(repoRoot(), 'chaos', 'reports'),
          log: (l) => console.log(`  ${l}`),
          status: () => undefined,
        });
        const invariants = [...new Set(result.report.check.violations.map((v) => v.invariant))];
        console.log(
          `  ${build} × ${experiment}: ${result.report.verdict.outcome}${invariants.length ? ` (${invariants.join(', ')})` : ''}`,
        );
        results.push({ experiment, result });
      } catch (error) {
        console.error(`  ${build} × ${experiment}: the run itself failed: ${error instanceof Error ? error.message : String(error)}`);
        results.push({ experiment, error: String(error) });
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
    for (const key of Object.keys(session.directEnv)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  return results;
}

function toRun(build: string, r: BuildResult): MatrixRun {
  return {
    build,
    experiment: r.experiment,
    verdict: r.result?.report.verdict.outcome,
    invariants: r.result?.report.check.violations.map((v) => v.invariant) ?? [],
    reasons: r.result?.report.verdict.reasons.map((reason) => `${reason.condition}: ${reason.message}`) ?? [],
    error: r.error,
  };
}
