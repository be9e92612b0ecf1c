import { execFileSync } from 'node:child_process';
import { z } from 'zod';
import { instanceIdentity } from '../../platform/local/fleet/instance-env';
import type { FaultSchedule } from '../nemesis/fault-schedule';
import { repoRoot } from '@imagery/kernel/repo-root';

/** The runner's options a replay passes again, exactly (ExperimentRunOptions minus the run's plumbing). */
export const replayOptionsSchema = z.object({
  rate: z.number().min(0),
  warmupSeconds: z.number().min(0),
  tailSeconds: z.number().min(0),
  maxFaultSeconds: z.number().min(0).optional(),
  badShare: z.number().min(0).max(1),
  drainTimeoutMs: z.number().min(0),
  sepiaSample: z.number().min(0),
  awsTemplateId: z.string().optional(),
});

const scheduleSchema = z.object({
  apiFaults: z.array(
    z.object({
      slot: z.string(),
      generation: z.number().int(),
      rule: z.string(),
      calls: z.array(z.object({ call: z.number().int(), operation: z.string(), fault: z.string() })),
    }),
  ),
  kills: z.array(
    z.object({
      slot: z.string(),
      generation: z.number().int(),
      how: z.enum(['terminated', 'died', 'stopped']),
      cause: z.string().optional(),
    }),
  ),
});

/**
 * What `report.json` holds so that `npm run chaos -- replay <report.json>` can run the same
 * experiment again and say whether the faults came out the same: same seed, same commit, same
 * options, same build, a fresh platform whose fleet has the same seed.
 */
export const replayRecordSchema = z.object({
  experiment: z.string().min(1),
  /** The run's seed (workload choices, fixtures); `seedExplicit` when given with --seed. */
  seed: z.number().int(),
  seedExplicit: z.boolean(),
  /** The FIS experiment's seed: --seed when given, else the template's own `seed` tag, else the run's. */
  fisSeed: z.number().int(),
  /** The fleet's seed (each launch's faults derive from it, its slot and generation); absent when unknown (AWS). */
  platformSeed: z.number().int().optional(),
  /**
   * Each slot's generation when the run started. A fresh platform starts every slot at 0; a run
   * that followed other experiments on the same platform (or on npm start's) did not, and a
   * launch's faults depend on its generation.
   */
  fleetAtStart: z.record(z.number().int().min(0)).optional(),
  /** `git rev-parse HEAD` when the run started, and whether the work tree had changes. */
  commit: z.string(),
  dirty: z.boolean(),
  /** `real`, `seed` or `mutant:<name>`: the build the runner was given. */
  build: z.string().min(1),
  options: replayOptionsSchema,
  /** What the workload was asked to do (its own options: scenario, rate, duration, seed, bad share...). */
  workload: z.record(z.unknown()),
  /** The fault schedule this run produced: what the replay must produce again. */
  schedule: scheduleSchema,
});

export type ReplayRecord = z.infer<typeof replayRecordSchema>;

/** A parsed schedule is the history's FaultSchedule (checked by the compiler). */
export const recordedSchedule = (record: ReplayRecord): FaultSchedule => record.schedule;

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
  if (record.platformSeed === undefined) warnings.push('the recorded run does not say its fleet seed: the replay uses the run seed');
  const replaced = Object.entries(record.fleetAtStart ?? {}).filter(([, generation]) => generation > 0);
  if (replaced.length > 0) {
    const slots = replaced.map(([slot, generation]) => `${slot} at generation ${generation}`).join(', ');
    warnings.push(
      `the recorded run started with ${slots} (earlier experiments on its platform); ` +
        "a fresh platform starts at 0, so those slots' faults differ",
    );
  }
  return warnings;
}

/** The FIS seed a run uses: --seed when given, else the template's own `seed` tag, else the run's seed. */
export function effectiveFisSeed(runSeed: number, explicit: boolean, templateTags: Readonly<Record<string, string>> | undefined): number {
  if (explicit) return runSeed;
  const tagged = templateTags?.seed;
  return tagged !== undefined && /^-?\d+$/.test(tagged) ? Number(tagged) : runSeed;
}

/** Each slot's current generation after these fleet events (the latest launch of each slot). */
export function fleetGenerations(
  events: ReadonlyArray<{ readonly type: string; readonly instance: string; readonly replacement?: string }>,
): Record<string, number> {
  const generations: Record<string, number> = {};
  for (const e of events) {
    const id = e.type === 'replaced' ? e.replacement : e.type === 'launched' ? e.instance : undefined;
    const identity = id ? instanceIdentity(id) : undefined;
    if (identity) generations[identity.slot] = Math.max(generations[identity.slot] ?? 0, identity.generation);
  }
  return generations;
}
