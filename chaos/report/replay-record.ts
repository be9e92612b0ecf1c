import { execFileSync } from 'node:child_process';
import { z } from 'zod';
import { faultScheduleSchema } from '../nemesis/schedule/fault-schedule';
import { recordedWorkloadSchema } from '../../load/recorded-workload';
import { repoRoot } from '@imagery/kernel/repo-root';

/** The runner's options a replay passes again, exactly (ExperimentRunOptions minus the run's plumbing). */
export const replayOptionsSchema = z.object({
  rate: z.number().min(0),
  warmupSeconds: z.number().min(0),
  tailSeconds: z.number().min(0),
  maxFaultSeconds: z.number().min(0).optional(),
  badShare: z.number().min(0).max(1),
  drainTimeoutMs: z.number().min(0),
  /** How long a journey waits for its image (mutation runs: 30 s); a replay or a shrink candidate waits the same. */
  processTimeoutSeconds: z.number().min(0).optional(),
  sepiaSample: z.number().min(0),
  awsTemplateId: z.string().optional(),
});

/** A violated invariant and the images it names: what a replay must find violated again. */
const violatedSchema = z.object({ invariant: z.string(), ids: z.array(z.string()) });

/**
 * What `report.json` holds so that `npm run chaos -- replay <report.json>` can execute the run
 * again exactly and say whether it came out the same: the fault schedule to execute (data, not a
 * seed), the faults the run fired, the workload, the verdict and the violated invariants.
 */
export const replayRecordSchema = z.object({
  experiment: z.string().min(1),
  /** The run's seed (workload choices, fixtures); `seedExplicit` when given with --seed. */
  seed: z.number().int(),
  seedExplicit: z.boolean(),
  /** The FIS experiment's seed: --seed when given, else the template's own `seed` tag, else the run's. */
  fisSeed: z.number().int(),
  /** `git rev-parse HEAD` when the run started, and whether the work tree had changes. */
  commit: z.string(),
  dirty: z.boolean(),
  /** `real`, `seed` or `mutant:<name>`: the build the runner was given. */
  build: z.string().min(1),
  options: replayOptionsSchema,
  /** What the workload generator was asked to do (scenario, rate, duration, seed, run tag, bad share...). */
  workloadOptions: z.record(z.unknown()),
  /** The recorded workload (each journey, its offset, ids, bytes, request ids), when the runner recorded one. */
  workload: recordedWorkloadSchema.optional(),
  /** What a replay executes: the schedule this run executed (a replayed or edited one), or the faults it fired. */
  schedule: faultScheduleSchema,
  /** The faults this run actually fired, read from its history: what a replay must fire again. */
  fired: faultScheduleSchema,
  verdict: z.enum(['PASS', 'FAIL', 'INCONCLUSIVE', 'STOPPED', 'INCOMPLETE']),
  violations: z.array(violatedSchema),
});

export type ReplayRecord = z.infer<typeof replayRecordSchema>;
export type ViolatedInvariant = z.infer<typeof violatedSchema>;

/** The replay block of a report.json, or a clear error saying what is missing or wrong. */
export function readReplayRecord(report: unknown, source: string): ReplayRecord {
  const block = (report as { replay?: unknown } | null)?.replay;
  if (block === undefined)
    throw new Error(`${source} has no "replay" block: it was written by a runner that did not record what a replay needs`);
  const parsed = replayRecordSchema.safeParse(block);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `replay.${i.path.join('.')}: ${i.message}`);
    throw new Error(`${source}: the replay block is not valid:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** The commit checked out, and whether the work tree differs from it. */
export function currentCommit(cwd = repoRoot()): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

/** Why this checkout may not replay the recorded run faithfully (empty when it should). */
export function replayWarnings(record: ReplayRecord, now: { commit: string; dirty: boolean }): string[] {
  const warnings: string[] = [];
  if (record.commit !== now.commit)
    warnings.push(`the run was recorded at commit ${record.commit}, this checkout is ${now.commit}: the code differs`);
  if (record.dirty) warnings.push('the recorded run had uncommitted changes: its code is not exactly its commit');
  if (now.dirty) warnings.push('this checkout has uncommitted changes');
  if (record.workload === undefined)
    warnings.push('the report holds no recorded workload: the replay regenerates the journeys from the seed and run tag');
  return warnings;
}

/** The FIS seed a run uses: --seed when given, else the template's own `seed` tag, else the run's seed. */
export function effectiveFisSeed(runSeed: number, explicit: boolean, templateTags: Readonly<Record<string, string>> | undefined): number {
  if (explicit) return runSeed;
  const tagged = templateTags?.seed;
  return tagged !== undefined && /^-?\d+$/.test(tagged) ? Number(tagged) : runSeed;
}
