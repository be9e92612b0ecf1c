import type {
  ExperimentOptions,
  ExperimentReportConfiguration,
  TemplateAction,
  TemplateStopCondition,
  TemplateTarget,
} from '../templates/template-model';

export type ExperimentStatus = 'pending' | 'initiating' | 'running' | 'completed' | 'stopping' | 'stopped' | 'failed' | 'cancelled';
export type ActionStatus = 'pending' | 'initiating' | 'running' | 'completed' | 'stopping' | 'stopped' | 'cancelled' | 'failed' | 'skipped';

export const isFinished = (status: ExperimentStatus) =>
  status === 'completed' || status === 'stopped' || status === 'failed' || status === 'cancelled';

export interface ExperimentActionRecord extends TemplateAction {
  state: { status: ActionStatus; reason: string };
  startTime?: number;
  endTime?: number;
}

/** One resolved target resource, as ListExperimentResolvedTargets reports it. */
export interface ResolvedTargetRecord {
  readonly targetName: string;
  readonly resourceType: string;
  readonly arn: string;
  readonly id: string;
}

/**
 * An experiment as FIS reports it (GetExperiment), plus what the simulator keeps beside it:
 * the seed its random choices came from and the resources its targets resolved to. It is a
 * snapshot of the template at start: updating the template later does not change it.
 */
export interface ExperimentRecord {
  id: string;
  arn: string;
  experimentTemplateId: string;
  roleArn: string;
  state: { status: ExperimentStatus; reason: string };
  targets: Record<string, TemplateTarget>;
  actions: Record<string, ExperimentActionRecord>;
  stopConditions: TemplateStopCondition[];
  experimentOptions: ExperimentOptions;
  tags: Record<string, string>;
  creationTime: number;
  startTime?: number;
  endTime?: number;
  seed: number;
  resolvedTargets: ResolvedTargetRecord[];
  experimentReportConfiguration?: ExperimentReportConfiguration;
  /** Present when the template asked for a report: its generation's state and where it went. */
  experimentReport?: ExperimentReportRecord;
}

export type ExperimentReportStatus = 'pending' | 'running' | 'completed' | 'cancelled' | 'failed';

export interface ExperimentReportRecord {
  state: { status: ExperimentReportStatus; reason: string; error?: { code: string } };
  s3Reports: { arn: string; reportType: string }[];
  /** Where the simulator also wrote it on this machine. */
  localPath?: string;
}
