/**
 * FIS's experiment-template JSON, as the API and the AWS CLI carry it. Kept as plain data:
 * the same object is stored, validated, returned and snapshotted into an experiment.
 */
export interface TemplateTargetFilter {
  path: string;
  values: string[];
}

export interface TemplateTarget {
  resourceType: string;
  resourceArns?: string[];
  resourceTags?: Record<string, string>;
  filters?: TemplateTargetFilter[];
  /** `ALL`, `COUNT(n)` or `PERCENT(n)`. */
  selectionMode: string;
  parameters?: Record<string, string>;
}

export interface TemplateAction {
  actionId: string;
  description?: string;
  /** Always strings, as in FIS (`"percentage": "50"`). */
  parameters?: Record<string, string>;
  /** Action target key (e.g. `Instances`) → template target name. */
  targets?: Record<string, string>;
  /** Names of actions that must end before this one starts. */
  startAfter?: string[];
}

export interface TemplateStopCondition {
  /** `none` or `aws:cloudwatch:alarm`. */
  source: string;
  /** The alarm ARN for `aws:cloudwatch:alarm`. */
  value?: string;
}

export interface ExperimentOptions {
  accountTargeting?: 'single-account' | 'multi-account';
  /** What an empty target does: `fail` the experiment (FIS's default) or `skip` its actions. */
  emptyTargetResolutionMode?: 'fail' | 'skip';
  /** StartExperiment only: `skip-all` resolves targets and skips every action (a dry run). */
  actionsMode?: 'skip-all' | 'run-all';
}

/** experimentReportConfiguration: the report goes to this S3 bucket (and the simulator's report folder). */
export interface ExperimentReportConfiguration {
  outputs?: { s3Configuration: { bucketName: string; prefix?: string } };
  dataSources?: { cloudWatchDashboards?: { dashboardIdentifier: string }[] };
  /** ISO 8601; the window of data before the start and after the end the report covers. */
  preExperimentDuration?: string;
  postExperimentDuration?: string;
}

/** The body of CreateExperimentTemplate (what a file in chaos/experiments/ holds). */
export interface ExperimentTemplateInput {
  description: string;
  roleArn: string;
  actions: Record<string, TemplateAction>;
  targets?: Record<string, TemplateTarget>;
  stopConditions: TemplateStopCondition[];
  tags?: Record<string, string>;
  experimentOptions?: ExperimentOptions;
  /** Accepted and returned as is; the simulator logs through its own `log` option instead. */
  logConfiguration?: LogConfiguration;
  experimentReportConfiguration?: ExperimentReportConfiguration;
}

export interface LogConfiguration {
  logSchemaVersion: number;
  cloudWatchLogsConfiguration?: { logGroupArn: string };
  s3Configuration?: { bucketName: string; prefix?: string };
}

export interface ExperimentTemplate extends ExperimentTemplateInput {
  id: string;
  arn: string;
  targets: Record<string, TemplateTarget>;
  tags: Record<string, string>;
  experimentOptions: ExperimentOptions;
  creationTime: number;
  lastUpdateTime: number;
}
