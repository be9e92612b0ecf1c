import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MUTANTS, AdversaryDefinition, mutantNamed } from '@imagery/adversaries';
import { parseChaosBuild } from '@imagery/nest-platform';
import { repoRoot } from '../../scripts/local-aws/repo-root';
import { MatrixRun, formatMatrix, summarize } from './mutation-matrix';
import { PlatformSession, startPlatformSession } from './platform-session';
import { ExperimentRunResult, runExperiment } from './run-experiment';

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
}

/**
 * `npm run chaos -- mutants [name...]`: each mutant on its own platform against the experiments
 * meant to catch it, then the real build against all of those experiments; prints the matrix and
 * the mutation score. Exit 1 if a mutant is missed or the real build is caught.
 */
export async function runMutantsCommand(names: readonly string[], values: MutantsCommandValues): Promise<number> {
  const mutants: AdversaryDefinition[] = names.length ? names.map(mutantNamed) : [...MUTANTS];
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
  const runs: MatrixRun[] = [];
  for (const mutant of mutants) {
    console.log(`\n### mutant ${mutant.name}: ${mutant.description}`);
    const results = await runBuild(`mutant:${mutant.name}`, mutant.catchers.map((c) => c.experiment), options);
    for (const [i, r] of results.entries()) runs.push({ ...toRun(mutant.name, r), expected: mutant.catchers[i].invariant });
  }
  const experiments = [...new Set(mutants.flatMap((m) => m.catchers.map((c) => c.experiment)))];
  console.log(`\n### the real build, against the same ${experiments.length} experiment(s)`);
  for (const r of await runBuild('real', experiments, options)) runs.push(toRun('real', r));

  // The runs themselves, so the matrix can be read again (or judged by another rule) without rerunning.
  const file = join(repoRoot(), 'chaos', 'reports', `mutants-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ options, runs }, null, 2));
  console.log(`\n${formatMatrix(runs)}\n(runs saved in ${file})`);
  for (const m of mutants.filter((m) => m.maskedBy && summarize(runs).missed.includes(m.name))) console.log(`  ${m.name} is masked by ${m.maskedBy}`);
  return summarize(runs).ok ? 0 : 1;
}

interface BuildResult {
  readonly experiment: string;
  readonly result?: ExperimentRunResult;
  readonly error?: unknown;
}

async function runBuild(build: string, experiments: readonly string[], o: { seed: number; rate: number; warmupSeconds: number; tailSeconds: number; maxFaultSeconds: number; drainTimeoutMs: number; sepiaSample: number; badShare: number }): Promise<BuildResult[]> {
  const session: PlatformSession = await startPlatformSession({ build, seed: o.seed, quiet: true, log: (l) => console.log(`  ${l}`) });
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
    for (const experiment of experiments) {
      try {
        const result = await runExperiment(session, {
          experiment,
          ...o,
          reportsDir: join(repoRoot(), 'chaos', 'reports'),
          log: (l) => console.log(`  ${l}`),
          status: () => undefined,
        });
        const invariants = [...new Set(result.report.check.violations.map((v) => v.invariant))];
        console.log(`  ${build} × ${experiment}: ${result.report.verdict.outcome}${invariants.length ? ` (${invariants.join(', ')})` : ''}`);
        results.push({ experiment, result });
      } catch (error) {
        console.error(`  ${build} × ${experiment}: the run itself failed: ${error instanceof Error ? error.message : error}`);
        results.push({ experiment, error });
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
    error: r.error === undefined ? undefined : String(r.error),
  };
}
