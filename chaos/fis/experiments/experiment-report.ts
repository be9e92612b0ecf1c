import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportObjectStore } from '@imagery/control-plane/control-plane';
import type { FisClock } from '../clock';
import { parseIsoDuration } from '../iso-duration';
import type { ExperimentRecord } from './experiment-model';

export interface ExperimentReportDependencies {
  readonly clock: FisClock;
  /** The emulator's S3 (ControlPlane.reportStore). */
  readonly store?: ReportObjectStore;
  /** The local copy's folder. */
  readonly reportDir: string;
  log(message: string): void;
}

/** FIS puts the report under `<prefix>/<experiment id>/`; locally it is JSON, not FIS's PDF. */
export const reportKey = (experiment: ExperimentRecord, prefix = ''): string =>
  `${prefix ? `${prefix.replace(/\/+$/, '')}/` : ''}${experiment.id}/experiment-report.json`;

/**
 * The experiment report (experimentReportConfiguration), once the experiment has ended and its
 * post-experiment window has passed: what ran, when, on which resources, how it ended. Written to
 * the configured S3 bucket of the emulator and to the simulator's report folder. Its state goes
 * pending → running → completed, or failed (the bucket is missing, the write failed) — a report
 * failure never changes the experiment's own state, as in FIS; an experiment that never ran
 * (cancelled by the safety lever) gets a cancelled report.
 */
export async function writeExperimentReport(experiment: ExperimentRecord, deps: ExperimentReportDependencies): Promise<void> {
  const report = experiment.experimentReport;
  const config = experiment.experimentReportConfiguration;
  if (!report || !config) return;
  if (experiment.state.status === 'cancelled') {
    report.state = { status: 'cancelled', reason: 'Experiment was cancelled; no report is generated.' };
    return;
  }
  await deps.clock.sleep(parseIsoDuration(config.postExperimentDuration ?? 'PT0S') ?? 0);
  report.state = { status: 'running', reason: 'Report generation is running.' };
  const body = JSON.stringify(reportBody(experiment), null, 2);
  try {
    const dir = join(deps.reportDir, experiment.id);
    await mkdir(dir, { recursive: true });
    report.localPath = join(dir, 'experiment-report.json');
    await writeFile(report.localPath, body);
    const s3 = config.outputs?.s3Configuration;
    if (s3) {
      if (!deps.store) throw new Error('no S3 store is configured for the simulator');
      const key = reportKey(experiment, s3.prefix);
      await deps.store.putObject(s3.bucketName, key, body, 'application/json');
      report.s3Reports = [{ arn: `arn:aws:s3:::${s3.bucketName}/${key}`, reportType: 'application/json' }];
    }
    report.state = { status: 'completed', reason: 'Report generation is complete.' };
    deps.log(
      `${experiment.id}: experiment report written` +
        `${s3 ? ` to s3://${s3.bucketName}/${reportKey(experiment, s3.prefix)} and` : ''} to ${report.localPath}`,
    );
  } catch (error) {
    report.state = {
      status: 'failed',
      reason: `Report generation failed: ${(error as Error).message}`,
      error: { code: 'ReportGenerationFailed' },
    };
    deps.log(`${experiment.id}: experiment report failed: ${(error as Error).message}`);
  }
}

function reportBody(e: ExperimentRecord) {
  const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const config = e.experimentReportConfiguration!;
  return {
    experimentId: e.id,
    experimentArn: e.arn,
    experimentTemplateId: e.experimentTemplateId,
    state: e.state,
    experimentOptions: e.experimentOptions,
    startTime: iso(e.startTime),
    endTime: iso(e.endTime),
    reportWindow: {
      from: iso((e.startTime ?? e.creationTime) - (parseIsoDuration(config.preExperimentDuration ?? 'PT0S') ?? 0)),
      to: iso((e.endTime ?? e.creationTime) + (parseIsoDuration(config.postExperimentDuration ?? 'PT0S') ?? 0)),
    },
    actions: Object.fromEntries(
      Object.entries(e.actions).map(([name, a]) => [
        name,
        { actionId: a.actionId, parameters: a.parameters ?? {}, state: a.state, startTime: iso(a.startTime), endTime: iso(a.endTime) },
      ]),
    ),
    resolvedTargets: e.resolvedTargets.map((t) => ({ targetName: t.targetName, resourceType: t.resourceType, arn: t.arn })),
    stopConditions: e.stopConditions,
    dashboards: config.dataSources?.cloudWatchDashboards ?? [],
    tags: e.tags,
  };
}
