import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { exitCodeOf } from '@imagery/checker/verdict';
import { experimentTemplateNames, loadExperimentTemplate } from '../experiments/load-experiment-template';
import { tailSecondsOf } from './template-timing';
import { writeMatrixJunit } from '../report/junit-matrix';
import { openAwsSession } from './aws-session';
import { PlatformSession, attachToRunningPlatform } from '../../platform/local/session';
import { startLocalSession } from './local-session';
import { chaosBuildOf, runMutantsCommand } from './mutants';
import { replayCommand } from './replay-command';
import { shrinkCommand } from '../shrink/shrink-command';
import { openShrinkTarget } from './shrink-target';
import { CHAOS_DEFAULT_RATE, PROCESS_TIMEOUT_SECONDS, type ExperimentRunOptions, type ExperimentRunResult } from './experiment/run-options';
import { runExperiment } from './run-experiment';
import { coverageUnion, formatCoverageUnion } from '../report/coverage-union';

const USAGE = `usage: npm run chaos -- <experiment...|all> [options]
       npm run chaos -- mutants [name...] [--break P] [--every-catcher]   the seed build and every mutant against
                       their catchers (until one kills it; all of them with --every-catcher), on one platform;
                       exit 1 below a mutation score of P % (default 100) or if the real build fails an experiment
       npm run chaos -- replay <report.json>   execute a recorded run again exactly; exit 0 if faults, verdict and violations matched
       npm run chaos -- shrink <report.json> [--budget 15m] [--invariant NAME] [--confirm N] [--out DIR]
                       reduce a failing run to a 1-minimal one that fails the same (npm run chaos -- shrink --help)
exit code: 0 when every experiment PASSes; 1 on any FAIL, INCOMPLETE, STOPPED or run error; else 3 when one was
INCONCLUSIVE (its fault actions had no effect: a verdict with no chaos)
  --build B            real (default), seed (the book's own code path) or a mutant's name
                       (libs/adversaries): an adversary the checker must catch
  --seed N             fixes the fault schedule and the workload's choices (default 1; when given,
                       it also overrides each template's own seed tag)
  --rate N             new image journeys per second (default ${CHAOS_DEFAULT_RATE}: the whole matrix, full-length
                       faults, is verified at this rate on a 2-core machine running the whole platform)
  --warmup N           seconds of load before the faults (default 5)
  --tail N             seconds of load after the faults (default: the template's post-experiment window,
                       experimentReportConfiguration.postExperimentDuration, else 10)
  --max-fault-seconds N  cap every fault's duration (short runs)
  --drain-timeout N    seconds the system gets to settle after its last write or fault (default 120; mutants: 20)
  --journey-timeout N  seconds a journey waits for its uploaded image (default ${PROCESS_TIMEOUT_SECONDS}; mutants: 30)
  --sepia-sample N     compare only a seeded sample of N processed images with their uploads
                       (default 0: every one)
  --aws                run against the stack deployed by npm run deploy: its FIS templates
                       (kill-api, kill-worker) through AWS FIS, its ALB, its table, bucket and queues
  --stack NAME         the deployed stack for --aws (default imagery)
experiments: ${experimentTemplateNames().join(', ')}`;

type CliValues = ReturnType<typeof parseCli>['values'];

function parseCli() {
  return parseArgs({
    allowPositionals: true,
    tokens: true,
    options: {
      build: { type: 'string', default: 'real' },
      seed: { type: 'string' },
      rate: { type: 'string', default: String(CHAOS_DEFAULT_RATE) },
      warmup: { type: 'string', default: '5' },
      tail: { type: 'string' },
      'max-fault-seconds': { type: 'string' },
      'drain-timeout': { type: 'string', default: '120' },
      'journey-timeout': { type: 'string', default: String(PROCESS_TIMEOUT_SECONDS) },
      'sepia-sample': { type: 'string', default: '0' },
      'bad-share': { type: 'string', default: '0.1' },
      break: { type: 'string' },
      'every-catcher': { type: 'boolean', default: false },
      aws: { type: 'boolean', default: false },
      stack: { type: 'string', default: 'imagery' },
      help: { type: 'boolean', default: false },
    },
  });
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // shrink parses its own options (--budget, --invariant, --confirm, --out)
  if (process.argv[2] === 'shrink') return shrinkCommand(process.argv.slice(3), openShrinkTarget);
  const { values, positionals, tokens } = parseCli();
  if (positionals[0] === 'replay') return replayCommand(positionals.slice(1));
  if (positionals[0] === 'mutants') {
    // Only the options given: the mutation runs have their own (short) defaults.
    const given = new Set<string>(tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : [])));
    return runMutantsCommand(positionals.slice(1), Object.fromEntries(Object.entries(values).filter(([k]) => given.has(k))));
  }
  const build = chaosBuildOf(values.build);
  const known = experimentTemplateNames();
  const experiments = positionals.includes('all') ? known : positionals;
  if (values.help || experiments.length === 0) return usage(values.help ? 0 : 2);
  const unknown = experiments.filter((e) => !known.includes(e));
  if (unknown.length) {
    console.error(`unknown experiment(s): ${unknown.join(', ')}`);
    return usage(2);
  }
  const seed = numberOption(values, 'seed');
  const startedAt = Date.now();
  const opening = performance.now();
  const { session, awsTemplates } = await openSession(values, build, experiments, seed);
  // The runner's own start (process up to here) and the session's, apart from each experiment's phases.
  const ready = performance.now();
  console.log(`runner ready in ${seconds(ready)} (its start ${seconds(opening)}, the session ${seconds(ready - opening)})`);
  Object.assign(process.env, session.directEnv); // the checker reads the resources directly, not through Toxiproxy
  closeOnSignal(session);
  let results: ExperimentOutcome[];
  try {
    const status = statusPrinter();
    // A platform the runner started holds only this command's runs: each starts on an empty store.
    // One someone else started (npm start's, or AWS) keeps its data.
    const emptyStoreFirst = session.owned;
    const optionsFor = (experiment: string) =>
      runOptions(values, { experiment, seed, awsTemplateId: awsTemplates?.[experiment], status, emptyStoreFirst });
    results = await runAll(session, experiments, `${build === 'real' ? '' : ` (${build} build)`}, seed ${seed}`, optionsFor);
  } finally {
    await session.close();
  }
  printSummary(results);
  const command = `chaos ${process.argv.slice(2).join(' ')}`;
  const junit = await writeMatrixJunit(
    join(repoRoot(), 'chaos', 'reports'),
    command,
    results.map((r) => ({ ...r, build })),
    startedAt,
  );
  if (junit) console.log(`junit: ${junit}`);
  if (results.length > 1)
    console.log(
      `\n${formatCoverageUnion(coverageUnion(results.map((r) => ({ experiment: r.experiment, coverage: r.result?.report.coverage }))))}`,
    );
  // 0 all PASS; 1 any FAIL, INCOMPLETE, STOPPED or a run that failed; else 3 if any was INCONCLUSIVE (its faults had no effect).
  return exitCodeOf(results.map((r) => r.result?.report.verdict.outcome ?? 'ERROR'));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A non-negative numeric option (--seed defaults to 1). */
function numberOption(values: CliValues, name: keyof CliValues): number {
  const n = Number(values[name] ?? (name === 'seed' ? '1' : undefined));
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
  return n;
}

/** The AWS stack (--aws), else the platform `npm start` runs, else a private one started for the run. */
async function openSession(
  values: CliValues,
  build: string,
  experiments: readonly string[],
  seed: number,
): Promise<{ session: PlatformSession; awsTemplates?: Readonly<Record<string, string>> }> {
  if (values.aws) {
    if (build !== 'real') throw new Error(`--build ${values.build} is a local build; it cannot run with --aws`);
    const aws = await openAwsSession(values.stack);
    const missing = experiments.filter((e) => !aws.experimentTemplateIds[e]);
    if (missing.length) {
      const has = Object.keys(aws.experimentTemplateIds).join(', ') || 'nothing';
      throw new Error(`stack ${values.stack} has FIS templates for ${has}, not ${missing.join(', ')}`);
    }
    console.log(`using the AWS stack ${values.stack}: ${aws.url}, FIS templates ${JSON.stringify(aws.experimentTemplateIds)}`);
    return { session: aws, awsTemplates: aws.experimentTemplateIds };
  }
  const running = await attachToRunningPlatform(build);
  if (running) {
    console.log(`using the running platform at ${running.url} (FIS simulator ${running.fisUrl})`);
    return { session: running };
  }
  console.log(`starting a ${build} build platform for the run (emulator, Toxiproxy, 2 API + 2 workers, HAProxy, FIS simulator)...`);
  const session = await startLocalSession({ build, seed, quiet: true, log: (l) => console.log(`  ${l}`) });
  console.log(`platform up at ${session.url}`);
  return { session };
}

function closeOnSignal(session: PlatformSession): void {
  let interrupted = false;
  const onSignal = (signal: string) => {
    if (interrupted) return;
    interrupted = true;
    console.log(`\n${signal}: stopping`);
    void session.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}

/** One experiment's options from the command line (numbers checked here: a bad one fails that run). */
function runOptions(
  values: CliValues,
  run: Pick<ExperimentRunOptions, 'experiment' | 'seed' | 'awsTemplateId' | 'status' | 'emptyStoreFirst'>,
): ExperimentRunOptions {
  const number = (name: keyof CliValues) => numberOption(values, name);
  const maxFaultSeconds = values['max-fault-seconds'] ? number('max-fault-seconds') : undefined;
  return {
    ...run,
    seedExplicit: values.seed !== undefined,
    rate: number('rate'),
    warmupSeconds: number('warmup'),
    // Without --tail, the experiment's own (its post-experiment window, capped as its faults are).
    tailSeconds: values.tail !== undefined ? number('tail') : tailSecondsOf(loadExperimentTemplate(run.experiment), maxFaultSeconds),
    maxFaultSeconds,
    badShare: number('bad-share'),
    drainTimeoutMs: number('drain-timeout') * 1000,
    processTimeoutSeconds: number('journey-timeout'),
    sepiaSample: number('sepia-sample'),
    reportsDir: join(repoRoot(), 'chaos', 'reports'),
    log: (l) => console.log(l),
  };
}

/** On a terminal, the status line is rewritten in place; elsewhere (CI logs) printed at most every 5 s. */
function statusPrinter(): (line: string) => void {
  const tty = process.stdout.isTTY;
  let lastPrinted = 0;
  return (line: string) => {
    if (tty) {
      process.stdout.write(`\r\x1b[2K${line}`);
      return;
    }
    if (line && Date.now() - lastPrinted > 5_000) {
      lastPrinted = Date.now();
      console.log(line);
    }
  };
}

interface ExperimentOutcome {
  readonly experiment: string;
  readonly result?: ExperimentRunResult;
  readonly error?: unknown;
}

/** Each experiment in turn; a run that fails is reported and the next one runs. */
async function runAll(
  session: PlatformSession,
  experiments: readonly string[],
  /** What the header line says after each experiment's name: build and seed. */
  header: string,
  optionsFor: (experiment: string) => ExperimentRunOptions,
): Promise<ExperimentOutcome[]> {
  const results: ExperimentOutcome[] = [];
  for (const experiment of experiments) {
    console.log(`\n=== ${experiment}${header} ===`);
    try {
      const result = await runExperiment(session, optionsFor(experiment));
      console.log(`${experiment}: ${result.report.verdict.outcome} — report ${join(result.reportDir, 'report.html')}`);
      results.push({ experiment, result });
    } catch (error) {
      console.error(`${experiment}: the run itself failed: ${error instanceof Error ? error.message : String(error)}`);
      results.push({ experiment, error });
    }
  }
  return results;
}

function printSummary(results: readonly ExperimentOutcome[]): void {
  console.log('\nexperiment                          verdict  violations  API faults');
  for (const r of results) {
    const verdict = r.result?.report.verdict.outcome ?? 'ERROR';
    const violations = String(r.result?.report.check.violations.length ?? '-');
    console.log(`${r.experiment.padEnd(36)}${verdict.padEnd(9)}${violations.padEnd(12)}${r.result?.report.faultsInjected ?? '-'}`);
  }
}

function usage(code: number): number {
  (code === 0 ? console.log : console.error)(USAGE);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`npm run chaos failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
