import type { RecordedWorkload } from '../../../load/recorded-workload';
import type { FaultSchedule } from '../../nemesis/schedule/fault-schedule';
import type { ReportData } from '../../report/report-data';

/**
 * A chaos client's retries: 16 tries, the backoff capped at 8 s, so the 15 waits span 42–85 s
 * (jitter 50–100 %), longer than any single outage the experiments make (30 s). With 12 tries
 * capped at 5 s they spanned 18–36 s: sqs-dynamodb-impairment's creates gave up 28 s into a 30 s
 * DynamoDB outage.
 */
export const CHAOS_CLIENT_RETRY = { maxAttempts: 16, retryMaxMs: 8_000 } as const;

/**
 * The chaos default rate (new image journeys per second, `--rate`): the rate at which the whole
 * matrix, at full fault lengths, is verified to PASS on a 2-core machine running the whole platform.
 * Raise it only with a green `npm run chaos -- all` at the new rate.
 */
export const CHAOS_DEFAULT_RATE = 10;

/** Upload acknowledged → processed, as a journey waits for it under faults: longer than any fault the templates make. */
export const PROCESS_TIMEOUT_SECONDS = 120;

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
  /** Replay these journeys exactly instead of drawing them from the seed (their runTag and seed win). */
  readonly recordedWorkload?: RecordedWorkload;
  readonly drainTimeoutMs: number;
  /**
   * The caller vouches that the platform has nothing left to do (the mutation matrix: a fleet just
   * relaunched on a store proven empty, or the last run on it drained since): the idle wait before
   * the store's baseline is one read, and waits for quiet reads as usual only if that read finds work.
   */
  readonly platformIdle?: boolean;
  /**
   * Empty the store (every item, object and message) once the platform is idle, before its
   * baseline: `chaos -- all` on a platform it started itself, so that each experiment's drain and
   * checks read its own images, not every earlier experiment's (10 s more each by the eighth).
   */
  readonly emptyStoreFirst?: boolean;
  /** How long a journey waits for its image once uploaded (default PROCESS_TIMEOUT_SECONDS). */
  readonly processTimeoutSeconds?: number;
  readonly sepiaSample: number;
  readonly reportsDir: string;
  /**
   * Execute exactly this fault schedule (a replay, an edited report, a shrink candidate) instead of
   * the experiment's own template: compiled to a local FIS template (chaos/nemesis/schedule).
   */
  readonly schedule?: FaultSchedule;
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
