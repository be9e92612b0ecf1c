import { createAwsClients } from '@imagery/aws-adapters';
import { type JudgedRun, type ThresholdOutcome, type Violation, formatStats, formatViolations, judgeRun } from '@imagery/checker';
import type { ObjectJudgements } from '@imagery/checker/object-judgements';
import { withProvenance } from '@imagery/checker/provenance';
import type { StoreBaseline } from '@imagery/checker/store-baseline';
import type { PlatformSession } from '../../../platform/local/session';
import type { ReportData } from '../../report/report-data';
import type { FisExperiment } from '../fis-experiment';
import type { CollectedRun } from './collect-history';
import type { Drained } from './drain-platform';
import type { ExperimentRunOptions } from './run-options';

export interface JudgeNeeds {
  readonly session: PlatformSession;
  readonly fis: FisExperiment;
  readonly run: CollectedRun;
  readonly drained: Drained;
  /** The violations the streaming check stopped the experiment on. */
  readonly stoppedBy: readonly Violation[];
  readonly baseline: StoreBaseline;
  /** Objects judged while the load ran: the final check reads only what is new or changed since. */
  readonly judgements?: ObjectJudgements;
  readonly options: Pick<ExperimentRunOptions, 'experiment' | 'seed' | 'sepiaSample' | 'log'>;
}

export interface JudgedExperiment {
  readonly judged: JudgedRun;
  /** How long reading the final state and checking it took. */
  readonly checkMs: number;
  /** Every workload threshold, judged or not (the report shows them all). */
  readonly thresholds: ThresholdOutcome[];
  readonly drainFacts: ReportData['drain'];
  /** The violations that stopped the experiment, with their provenance from the whole history. */
  readonly stoppedBy: Violation[];
}

/** The checker's verdict on the history against the final state (and the store's baseline), logged as it comes. */
export async function judgeExperiment(needs: JudgeNeeds): Promise<JudgedExperiment> {
  const { session, fis, run, options } = needs;
  const thresholds = thresholdsOf(needs.drained);
  const drainFacts = drainFactsOf(needs.drained);
  const clients = createAwsClients({ s3ForcePathStyle: session.emulatorEndpoint !== '' });
  const checkStarted = performance.now();
  const fisState = fis.last?.state;
  const judged = await judgeRun({
    history: run.history,
    tableName: session.directEnv.IMAGES_TABLE,
    bucket: session.directEnv.IMAGES_BUCKET,
    queueUrl: session.directEnv.IMAGES_QUEUE_URL,
    dlqUrl: session.directEnv.IMAGES_DLQ_URL,
    clients,
    // Latency under faults on a shared machine is reported, not judged: the verdict is about
    // correctness. Journeys that failed after their retries, and failed checks, are judged.
    thresholds: thresholds.filter((t) => !t.name.startsWith('http_req_duration')),
    drain: drainFacts,
    faultsPlanned: true,
    fis: fisState?.status ? { state: fisState.status, ...(fisState.reason ? { reason: fisState.reason } : {}) } : undefined,
    check: {
      ...(options.sepiaSample > 0 ? { sepiaSample: { size: options.sepiaSample, seed: options.seed } } : {}),
      ...(needs.judgements ? { judgements: needs.judgements } : {}),
    },
    baseline: needs.baseline,
  }).finally(() => clients.destroy());
  const checkMs = Math.round(performance.now() - checkStarted);
  options.log(`${options.experiment}: final state read and checked in ${(checkMs / 1000).toFixed(1)} s`);
  options.log(formatStats(judged.check.stats));
  const stoppedBy = withProvenance(needs.stoppedBy, { history: run.history, state: judged.state, options: {} });
  if (stoppedBy.length)
    options.log(`${options.experiment}: the streaming check stopped the experiment on:\n${formatViolations(stoppedBy)}`);
  if (!judged.check.ok) options.log(formatViolations(judged.check.violations));
  return { judged, checkMs, thresholds, drainFacts, stoppedBy };
}

function thresholdsOf({ loadResult }: Drained): ThresholdOutcome[] {
  return (loadResult?.thresholds ?? []).map((t) => ({
    name: `${t.metric}: ${t.expression}`,
    ok: t.ok,
    ...(t.value !== undefined ? { detail: `value ${Math.round(t.value * 1000) / 1000}` } : {}),
  }));
}

function drainFactsOf({ drain, sinceLastWorkMs }: Drained): ReportData['drain'] {
  const settling = Math.round((sinceLastWorkMs + drain.waitedMs) / 1000);
  const detail =
    `${drain.queued} queued, ${drain.uploaded} uploaded after ${Math.round(drain.waitedMs / 1000)} s, ` +
    `${settling} s after the last write or fault`;
  return { drained: drain.drained, waitedMs: drain.waitedMs, ...(drain.drained ? {} : { detail }) };
}
