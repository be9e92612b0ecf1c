import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAwsClients } from '@imagery/aws-adapters';
import { repoRoot } from '../../scripts/local-aws/repo-root';
import { FinalState, checkHistory, formatStats, formatViolations, readFinalState, s3ObjectReader } from '../checker';
import { loadExperimentTemplate } from '../experiments/load-experiment-template';
import { loadHistory } from '../history/load-history';
import { ReportData, TimelineMark } from '../report/report-data';
import { writeReport } from '../report/write-report';
import { MANIFEST_FILE, generateFixtures } from '../workload/fixtures';
import { K6Progress, runK6 } from '../workload/run-k6';
import { waitForDrain } from './drain';
import { FisExperiment } from './fis-experiment';
import { PlatformSession, RecordedFleetEvent } from './platform-session';
import { ReplayRecord, currentCommit, effectiveFisSeed, fleetGenerations } from './replay-record';
import { RunNemesis, writeHistoryLines } from './run-nemesis';
import { capDurations, experimentSeconds } from './template-timing';

export interface ExperimentRunOptions {
  readonly experiment: string;
  readonly seed: number;
  /** The seed was given (--seed): it overrides the template's own `seed` tag; otherwise the tag wins. */
  readonly seedExplicit?: boolean;
  /** The FIS experiment's seed, as recorded by an earlier run (replay); otherwise derived (effectiveFisSeed). */
  readonly fisSeed?: number;
  /** New journeys per second (k6 constant arrival rate). */
  readonly rate: number;
  readonly warmupSeconds: number;
  /** Load kept on after the faults end, to see the recovery. */
  readonly tailSeconds: number;
  /** Cap every fault's duration (short runs). */
  readonly maxFaultSeconds?: number;
  readonly badShare: number;
  readonly drainTimeoutMs: number;
  readonly sepiaSample: number;
  readonly reportsDir: string;
  /** In AWS: start this existing FIS template (the stack's) instead of the local JSON one. */
  readonly awsTemplateId?: string;
  readonly log: (line: string) => void;
  /** The live status line (overwritten in place on a terminal). */
  readonly status: (line: string) => void;
}

export interface ExperimentRunResult {
  readonly report: ReportData;
  readonly reportDir: string;
}

/**
 * One experiment, Jepsen-style: the workload (k6) and the nemesis (a FIS experiment) run at the
 * same time and meet only in the history; then the system drains and the checker judges the
 * history against the final state.
 */
export async function runExperiment(session: PlatformSession, options: ExperimentRunOptions): Promise<ExperimentRunResult> {
  const { log, status } = options;
  const fis = new FisExperiment(session.fisUrl);
  const template = options.awsTemplateId
    ? await fis.template(options.awsTemplateId)
    : capped(loadExperimentTemplate(options.experiment), options.maxFaultSeconds);
  const faultSeconds = experimentSeconds(template);
  const loadSeconds = Math.ceil(options.warmupSeconds + faultSeconds + options.tailSeconds);
  const fisSeed = options.fisSeed ?? effectiveFisSeed(options.seed, options.seedExplicit ?? false, (template as { tags?: Record<string, string> }).tags);
  const { commit, dirty } = currentCommit();

  log(`${options.experiment}: waiting for the platform to be idle before starting`);
  await waitForDrain({ env: session.directEnv }, 60_000);
  const fixtures = await ensureFixtures(options.seed, session.maxUploadBytes);
  const readObjects = session.emulatorEndpoint !== '';
  const runDir = join(repoRoot(), '.run', 'runs', `${Date.now()}-${options.experiment}`);
  mkdirSync(runDir, { recursive: true });

  const startedAt = Date.now();
  const nemesis = new RunNemesis(session, startedAt);
  const fleetAtStart = fleetGenerations(session.fleetEvents(0, startedAt));
  let progress: K6Progress | undefined;
  let phase = 'warm-up';
  const tick = () => {
    const p = progress;
    const faults = fis.activeActions();
    const kills = session.fleetEvents(startedAt, Date.now()).filter((e) => e.type === 'terminated' || e.type === 'died').length;
    nemesis.observe(fis.last);
    status(
      `${options.experiment} [${phase}] ${Math.round((Date.now() - startedAt) / 1000)}s/${loadSeconds}s · ` +
        `${p?.requests ?? 0} req, ${p ? p.serverErrors + p.networkErrors : 0} errors, ${p?.retries ?? 0} retries, ${p?.processed ?? 0}/${p?.ids ?? 0} processed · ` +
        `faults: ${faults.length ? faults.join(', ') : 'none'} · ${nemesis.faultsInjected()} API faults injected · kills: ${kills}`,
    );
  };
  const ticker = setInterval(() => void fis.refresh().then(tick, tick), 1_000);
  try {
    const workload = { SCENARIO: 'steady', RATE: options.rate, DURATION: `${loadSeconds}s`, SEED: options.seed, BAD_SHARE: options.badShare };
    const k6 = runK6({
      script: join(repoRoot(), 'load', 'imagery.js'),
      env: { BASE_URL: session.url, FIXTURES_DIR: fixtures, ...workload },
      jsonOut: join(runDir, 'k6.json'),
      summaryFile: join(runDir, 'k6-summary.json'),
      logFile: join(runDir, 'k6.log'),
      onProgress: (p) => (progress = p),
    });
    await sleep(options.warmupSeconds * 1000);
    phase = 'faults';
    const experimentId = options.awsTemplateId ? await fis.startTemplate(options.awsTemplateId, fisSeed) : await fis.start(template, fisSeed);
    log(`${options.experiment}: FIS experiment ${experimentId} started with seed ${fisSeed} (faults for about ${faultSeconds}s)`);
    const k6Result = await k6;
    phase = 'faults ending';
    const deadline = Date.now() + 60_000;
    while (!fis.done && Date.now() < deadline) {
      nemesis.observe(await fis.refresh());
      await sleep(500);
    }
    await fis.stop();
    nemesis.observe(await fis.refresh());
    phase = 'drain';
    const drain = await waitForDrain({ env: session.directEnv }, options.drainTimeoutMs, () => tick());
    clearInterval(ticker);
    status('');
    log(
      `${options.experiment}: load done (${k6Result.outcome}), FIS ${fis.last?.state?.status ?? '?'}, ` +
        `${drain.drained ? `drained in ${Math.round(drain.waitedMs / 1000)}s` : `NOT drained after ${Math.round(drain.waitedMs / 1000)}s (${drain.queued} queued, ${drain.uploaded} uploaded)`}`,
    );

    const finishedAt = Date.now();
    nemesis.observe(await fis.refresh());
    const nemesisRun = nemesis.finish(finishedAt);
    writeHistoryLines(join(runDir, 'nemesis.jsonl'), nemesisRun.entries);
    log(`${options.experiment}: ${nemesisRun.faultsInjected} API faults injected, ${nemesisRun.schedule.kills.length} instances killed (${join(runDir, 'nemesis.jsonl')})`);
    const history = await loadHistory(join(runDir, 'k6.json'));
    const state = scopeToRun(await readState(session), startedAt);
    const clients = createAwsClients({ s3ForcePathStyle: readObjects });
    const check = await checkHistory(history, state, {
      sepia: { sample: options.sepiaSample, seed: options.seed, readObject: s3ObjectReader(clients.s3, session.directEnv.IMAGES_BUCKET) },
    }).finally(() => clients.destroy());
    log(formatStats(check.stats));
    if (!check.ok) log(formatViolations(check.violations));

    const summary = k6Result.summary;
    const build = session.build;
    const replay: ReplayRecord = {
      experiment: options.experiment,
      seed: options.seed,
      seedExplicit: options.seedExplicit ?? false,
      fisSeed,
      ...(session.seed !== undefined ? { platformSeed: session.seed } : {}),
      fleetAtStart,
      commit,
      dirty,
      build,
      options: {
        rate: options.rate,
        warmupSeconds: options.warmupSeconds,
        tailSeconds: options.tailSeconds,
        ...(options.maxFaultSeconds !== undefined ? { maxFaultSeconds: options.maxFaultSeconds } : {}),
        badShare: options.badShare,
        drainTimeoutMs: options.drainTimeoutMs,
        sepiaSample: options.sepiaSample,
        ...(options.awsTemplateId !== undefined ? { awsTemplateId: options.awsTemplateId } : {}),
      },
      workload,
      schedule: { apiFaults: nemesisRun.schedule.apiFaults.map((r) => ({ ...r, calls: [...r.calls] })), kills: [...nemesisRun.schedule.kills] },
    };
    const report: ReportData = {
      experiment: options.experiment,
      build: session.build,
      seed: options.seed,
      startedAt,
      finishedAt,
      fisExperimentId: experimentId,
      fisState: fis.last?.state?.status,
      load: { rate: options.rate, durationSeconds: loadSeconds, requests: history.length, journeys: summary?.journeys.total ?? check.stats.journeys },
      faults: fis.faultWindows(finishedAt),
      marks: session.fleetEvents(startedAt, finishedAt).filter((e) => e.type !== 'launched' && e.type !== 'healthy').map(toMark),
      thresholds: Object.entries(summary?.thresholds ?? {}).flatMap(([metric, results]) => results.map((r) => ({ metric, threshold: r.expression, ok: r.ok }))),
      check,
      verdict: check.ok ? 'PASS' : 'FAIL',
      faultsInjected: nemesisRun.faultsInjected,
      replay,
    };
    const reportDir = await writeReport(options.reportsDir, report, history);
    writeHistoryLines(join(reportDir, 'nemesis.jsonl'), nemesisRun.entries);
    return { report, reportDir };
  } finally {
    clearInterval(ticker);
    await fis.stop();
    fis.destroy();
  }
}

function capped(template: ReturnType<typeof loadExperimentTemplate>, maxSeconds?: number) {
  return maxSeconds ? capDurations(template, maxSeconds) : template;
}

async function ensureFixtures(seed: number, maxUploadBytes: number): Promise<string> {
  const dir = join(repoRoot(), '.run', 'fixtures', `seed-${seed}-limit-${maxUploadBytes}`);
  if (!existsSync(join(dir, MANIFEST_FILE))) await generateFixtures(dir, { seed, maxUploadBytes });
  return dir;
}

function readState(session: PlatformSession): Promise<FinalState> {
  const env = session.directEnv;
  return readFinalState({ tableName: env.IMAGES_TABLE, bucket: env.IMAGES_BUCKET, queueUrl: env.IMAGES_QUEUE_URL, dlqUrl: env.IMAGES_DLQ_URL });
}

/**
 * A platform may outlive one run (npm start): judge only what this run created. Earlier runs were
 * drained before this one started, so their items and objects are untouched since then.
 */
function scopeToRun(state: FinalState, startedAt: number): FinalState {
  const since = startedAt - 2_000;
  const items = state.items.filter((i) => typeof i.createdAt !== 'number' || i.createdAt >= since);
  const objects = state.objects.filter((o) => o.lastModified === undefined || o.lastModified >= since);
  return { ...state, items, objects };
}

function toMark(e: RecordedFleetEvent): TimelineMark {
  const label = e.type === 'replaced' ? `${e.replacement} replaces ${e.instance}` : `${e.instance} ${e.type}`;
  return { at: e.at, kind: e.type as TimelineMark['kind'], label };
}
