import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAwsClients } from '@imagery/aws-adapters';
import { repoRoot } from '@imagery/kernel/repo-root';
import { MANIFEST_FILE, generateFixtures } from '../../load/fixtures';
import type { WorkloadProgress } from '../../load/engine/progress';
import { runWorkload } from '../../load/run-workload';
import { formatStats, formatViolations, judgeRun, type Violation } from '@imagery/checker';
import { readStoreBaseline } from '@imagery/checker/final-state';
import { BASELINE_FILE, baselineToJson } from '@imagery/checker/store-baseline';
import { withProvenance } from '@imagery/checker/provenance';
import { loadExperimentTemplate } from '../experiments/load-experiment-template';
import { HISTORY_FILE, type HistoryEntry } from '@imagery/history/history-entry';
import { HistoryFileWriter, readHistoryFile } from '@imagery/history/history-file';
import { mergeByTime } from '@imagery/history/merge-by-time';
import { ReportData } from '../report/report-data';
import { writeReport } from '../report/write-report';
import { waitForDrain } from './drain';
import { FisExperiment } from './fis-experiment';
import { PlatformSession } from '../../platform/local/session';
import { ReplayRecord, currentCommit, effectiveFisSeed, fleetGenerations } from './replay-record';
import { RunNemesis } from './run-nemesis';
import { StreamingCheck } from './streaming-check';
import { ToxiproxyObserver } from './toxiproxy-observer';
import { capDurations, experimentSeconds } from './template-timing';

/** Upload acknowledged → processed, as a journey waits for it under faults. */
const PROCESS_TIMEOUT_MS = 120_000;
/**
 * A chaos client's retries: 16 tries, the backoff capped at 8 s, so the 15 waits span 42–85 s
 * (jitter 50–100 %), longer than any single outage the experiments make (30 s). With 12 tries
 * capped at 5 s they spanned 18–36 s: sqs-dynamodb-impairment's creates gave up 28 s into a 30 s
 * DynamoDB outage.
 */
export const CHAOS_CLIENT_RETRY = { maxAttempts: 16, retryMaxMs: 8_000 } as const;

export interface ExperimentRunOptions {
  readonly experiment: string;
  readonly seed: number;
  /** The seed was given (--seed): it overrides the template's own `seed` tag; otherwise the tag wins. */
  readonly seedExplicit?: boolean;
  /** The FIS experiment's seed, as recorded by an earlier run (replay); otherwise derived (effectiveFisSeed). */
  readonly fisSeed?: number;
  /** The workload's run tag (in every id): recorded, so a replay on a fresh platform sends the same ids. */
  readonly runTag?: string;
  /** New journeys per second (constant arrival rate). */
  readonly rate: number;
  readonly warmupSeconds: number;
  /** Load kept on after the faults end, to see the recovery. */
  readonly tailSeconds: number;
  /** Cap every fault's duration (short runs). */
  readonly maxFaultSeconds?: number;
  readonly badShare: number;
  /** Workload knobs beyond the defaults (a mutant's catcher: e.g. late creates), passed to runWorkload as they are. */
  readonly workload?: { readonly lateCreateShare?: number; readonly rivalUploadShare?: number };
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
 * One experiment, Jepsen-style: the workload (load/) and the nemesis (a FIS experiment) run at the
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
  const fisSeed =
    options.fisSeed ?? effectiveFisSeed(options.seed, options.seedExplicit ?? false, (template as { tags?: Record<string, string> }).tags);
  const { commit, dirty } = currentCommit();

  log(`${options.experiment}: waiting for the platform to be idle before starting`);
  await waitForDrain({ env: session.directEnv }, 60_000);
  const fixtures = await ensureFixtures(options.seed, session.maxUploadBytes);
  // The store as the run starts: the run is judged on what differs at its end, whoever changed it.
  const baselineClients = createAwsClients({ s3ForcePathStyle: session.emulatorEndpoint !== '' });
  const baseline = await readStoreBaseline({
    clients: baselineClients,
    tableName: session.directEnv.IMAGES_TABLE,
    bucket: session.directEnv.IMAGES_BUCKET,
  }).finally(() => baselineClients.destroy());
  const runDir = join(repoRoot(), '.run', 'runs', `${Date.now()}-${options.experiment}`);
  mkdirSync(runDir, { recursive: true });

  const startedAt = Date.now();
  // Ids carry the run tag: runs on one platform never collide; a replay (fresh platform) reuses it.
  const runTag = options.runTag ?? `s${options.seed}-${startedAt.toString(36)}`;
  const nemesis = new RunNemesis(session, startedAt);
  const fleetAtStart = fleetGenerations(session.fleetEvents(0, startedAt));
  let progress: WorkloadProgress | undefined;
  let phase = 'warm-up';
  const tick = () => {
    const p = progress;
    const faults = fis.activeActions();
    const kills = session.fleetEvents(startedAt, Date.now()).filter((e) => e.type === 'terminated' || e.type === 'died').length;
    nemesis.observe(fis.last);
    status(
      `${options.experiment} [${phase}] ${Math.round((Date.now() - startedAt) / 1000)}s/${loadSeconds}s · ` +
        `${p?.requests ?? 0} req, ${p?.errors ?? 0} errors, ${p?.retries ?? 0} retries, ${p?.processed ?? 0}/${p?.ids ?? 0} processed · ` +
        `faults: ${faults.length ? faults.join(', ') : 'none'} · ${nemesis.faultsInjected()} API faults injected · kills: ${kills}`,
    );
  };
  const ticker = setInterval(() => void fis.refresh().then(tick, tick), 1_000);
  // What Toxiproxy really shows in place (the proof a network fault fired); AWS has no Toxiproxy.
  const toxiproxy = session.toxiproxyUrl ? new ToxiproxyObserver(session.toxiproxyUrl) : undefined;
  toxiproxy?.start(1_000);
  let experimentId: string | undefined;
  const liveClients = createAwsClients({ s3ForcePathStyle: session.emulatorEndpoint !== '' });
  // The checker as a stop condition (imagery-invariant-violated): the local simulator's alarm; in AWS there is none to set.
  const streaming =
    options.awsTemplateId || !session.fisUrl
      ? undefined
      : new StreamingCheck({
          workloadPath: join(runDir, 'workload.jsonl'),
          clients: liveClients,
          tableName: session.directEnv.IMAGES_TABLE,
          bucket: session.directEnv.IMAGES_BUCKET,
          fisUrl: session.fisUrl,
          log,
        });
  let stoppedBy: readonly Violation[] = [];
  try {
    await streaming?.start();
    const workloadOptions = {
      baseUrl: session.url,
      scenario: 'steady' as const,
      rate: options.rate,
      durationSeconds: loadSeconds,
      seed: options.seed,
      runTag,
      badShare: options.badShare,
      ...options.workload,
      // Faults slow the pipeline (that is their point): a journey waits this long for its image,
      // and whether every image ended at all is the checker's question, after the drain.
      processTimeoutMs: PROCESS_TIMEOUT_MS,
      // A retrying client outlasts the outages the experiments make: a journey that gives up
      // mid-outage is not a platform failure.
      ...CHAOS_CLIENT_RETRY,
    };
    const workloadPath = join(runDir, 'workload.jsonl');
    const workload = runWorkload({
      ...workloadOptions,
      fixturesDir: fixtures,
      historyPath: workloadPath,
      onProgress: (p) => (progress = p),
    });
    // The generator's own failure must not leave the experiment running: its history then says it did not end.
    const workloadDone = workload.then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    await Promise.race([sleep(options.warmupSeconds * 1000), workloadDone]);
    phase = 'faults';
    experimentId = options.awsTemplateId ? await fis.startTemplate(options.awsTemplateId, fisSeed) : await fis.start(template, fisSeed);
    log(`${options.experiment}: FIS experiment ${experimentId} started with seed ${fisSeed} (faults for about ${faultSeconds}s)`);
    const loaded = await workloadDone;
    if ('error' in loaded)
      log(`${options.experiment}: the workload failed: ${loaded.error instanceof Error ? loaded.error.message : String(loaded.error)}`);
    phase = 'faults ending';
    const deadline = Date.now() + 60_000;
    while (!fis.done && Date.now() < deadline) {
      nemesis.observe(await fis.refresh());
      await sleep(500);
    }
    await fis.stop();
    nemesis.observe(await fis.refresh());
    stoppedBy = (await streaming?.stop()) ?? [];
    phase = 'drain';
    const drain = await waitForDrain({ env: session.directEnv }, options.drainTimeoutMs, () => tick());
    clearInterval(ticker);
    status('');
    const loadResult = 'result' in loaded ? loaded.result : undefined;
    log(
      `${options.experiment}: load ${loadResult?.outcome ?? 'failed'}, FIS ${fis.last?.state?.status ?? '?'}, ` +
        `${drain.drained ? `drained in ${Math.round(drain.waitedMs / 1000)}s` : `NOT drained after ${Math.round(drain.waitedMs / 1000)}s (${drain.queued} queued, ${drain.uploaded} uploaded)`}`,
    );
    if (loadResult) log(loadResult.text);

    const finishedAt = Date.now();
    nemesis.observe(await fis.refresh());
    const nemesisRun = nemesis.finish(finishedAt);
    const clientSide = await readHistoryFile(workloadPath).catch((error: unknown) => {
      log(`${options.experiment}: the workload's history is unreadable: ${(error as Error).message}`);
      return undefined;
    });
    if (clientSide?.truncatedTail)
      log(
        `${options.experiment}: the workload's history ends with a cut-short line (${clientSide.truncatedTail.line}); the run is incomplete`,
      );
    const observed = (await toxiproxy?.stop()) ?? [];
    const history = mergeByTime<HistoryEntry>(clientSide?.entries ?? [], mergeByTime(nemesisRun.entries, observed));
    log(
      `${options.experiment}: ${history.length} history entries, ${nemesisRun.faultsInjected} API faults injected, ${nemesisRun.schedule.kills.length} instances killed`,
    );

    const thresholds = (loadResult?.thresholds ?? []).map((t) => ({
      name: `${t.metric}: ${t.expression}`,
      ok: t.ok,
      ...(t.value !== undefined ? { detail: `value ${Math.round(t.value * 1000) / 1000}` } : {}),
    }));
    // Latency under faults on a shared machine is reported, not judged: the verdict is about
    // correctness. Journeys that failed after their retries, and failed checks, are judged.
    const judgedThresholds = thresholds.filter((t) => !t.name.startsWith('http_req_duration'));
    const drainFacts = {
      drained: drain.drained,
      waitedMs: drain.waitedMs,
      ...(drain.drained
        ? {}
        : { detail: `${drain.queued} queued, ${drain.uploaded} uploaded after ${Math.round(drain.waitedMs / 1000)} s` }),
    };
    const clients = createAwsClients({ s3ForcePathStyle: session.emulatorEndpoint !== '' });
    const checkStarted = performance.now();
    const judged = await judgeRun({
      history,
      tableName: session.directEnv.IMAGES_TABLE,
      bucket: session.directEnv.IMAGES_BUCKET,
      queueUrl: session.directEnv.IMAGES_QUEUE_URL,
      dlqUrl: session.directEnv.IMAGES_DLQ_URL,
      clients,
      thresholds: judgedThresholds,
      drain: drainFacts,
      faultsPlanned: true,
      fis: fis.last?.state?.status
        ? { state: fis.last.state.status, ...(fis.last.state.reason ? { reason: fis.last.state.reason } : {}) }
        : undefined,
      check: options.sepiaSample > 0 ? { sepiaSample: { size: options.sepiaSample, seed: options.seed } } : {},
      baseline,
    }).finally(() => clients.destroy());
    const checkMs = Math.round(performance.now() - checkStarted);
    log(`${options.experiment}: final state read and checked in ${(checkMs / 1000).toFixed(1)} s`);
    log(formatStats(judged.check.stats));
    // The violations that stopped the experiment, with their provenance from the whole history.
    const stoppedByViolations = withProvenance(stoppedBy, { history, state: judged.state, options: {} });
    if (stoppedByViolations.length)
      log(`${options.experiment}: the streaming check stopped the experiment on:\n${formatViolations(stoppedByViolations)}`);
    if (!judged.check.ok) log(formatViolations(judged.check.violations));

    const replay: ReplayRecord = {
      experiment: options.experiment,
      seed: options.seed,
      seedExplicit: options.seedExplicit ?? false,
      fisSeed,
      ...(session.seed !== undefined ? { platformSeed: session.seed } : {}),
      fleetAtStart,
      commit,
      dirty,
      build: session.build,
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
      workload: workloadOptions,
      schedule: {
        apiFaults: nemesisRun.schedule.apiFaults.map((r) => ({ ...r, calls: [...r.calls] })),
        kills: [...nemesisRun.schedule.kills],
      },
    };
    const report: ReportData = {
      experiment: options.experiment,
      build: session.build,
      checkMs,
      seed: options.seed,
      startedAt,
      finishedAt,
      fisExperimentId: experimentId,
      load: {
        rate: options.rate,
        durationSeconds: loadSeconds,
        requests: history.filter((e) => e.type === 'invoke').length,
        journeys:
          loadResult?.summary.journeys.ok !== undefined
            ? loadResult.summary.journeys.ok + loadResult.summary.journeys.failed
            : judged.check.stats.journeys,
      },
      thresholds,
      drain: drainFacts,
      historyFacts: judged.historyFacts,
      faultsPlanned: true,
      check: judged.check,
      verdict: judged.verdict,
      faultsInjected: nemesisRun.faultsInjected,
      ...(stoppedByViolations.length ? { stoppedBy: stoppedByViolations } : {}),
      replay,
    };
    const reportDir = await writeReport(options.reportsDir, report, history);
    await writeHistory(join(reportDir, HISTORY_FILE), history);
    // What the checker's CLI needs (--baseline) to judge the run again on the same scope.
    writeFileSync(join(reportDir, BASELINE_FILE), JSON.stringify(baselineToJson(baseline)));
    return { report, reportDir };
  } finally {
    clearInterval(ticker);
    await toxiproxy?.stop();
    await streaming?.stop().catch(() => undefined);
    liveClients.destroy();
    await fis.stop();
    fis.destroy();
  }
}

async function writeHistory(path: string, history: readonly HistoryEntry[]): Promise<void> {
  const writer = await HistoryFileWriter.open(path);
  for (const entry of history) writer.append(entry);
  await writer.close();
}

function capped(template: ReturnType<typeof loadExperimentTemplate>, maxSeconds?: number) {
  return maxSeconds ? capDurations(template, maxSeconds) : template;
}

async function ensureFixtures(seed: number, maxUploadBytes: number): Promise<string> {
  const dir = join(repoRoot(), '.run', 'fixtures', `seed-${seed}-limit-${maxUploadBytes}`);
  if (!existsSync(join(dir, MANIFEST_FILE))) await generateFixtures(dir, { seed, maxUploadBytes });
  return dir;
}
