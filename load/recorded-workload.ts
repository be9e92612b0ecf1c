import { z } from 'zod';
import type { HistoryEntry, InvokeEntry, WorkloadEntry } from '@imagery/history/history-entry';
import { recordedJourneySchema } from './recorded-journey';

/**
 * A run's workload as data (issue 17): its journeys — when each started, its ids, the bytes it
 * uploads, its bad input — and what their request ids and fixtures derive from. runWorkload
 * executes one exactly (`WorkloadOptions.recorded`): each journey at its offset with the same ids,
 * bytes and request ids (load/engine/request-id.ts), so a fault recorded against a request id
 * fires on it again. Any subset of the journeys runs the same way (a shrinker drops some).
 * report.json carries it; `recordedWorkload` reads it back from a run's history.
 */
export const recordedWorkloadSchema = z
  .object({
    version: z.literal(1),
    /** In every image id and request id of the run. */
    runTag: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    /** The workload's seed: the retry jitter of journey n derives from (seed, n). */
    seed: z.number().int(),
    /** What the fixtures were generated with (load/fixtures.ts), so they can be made again. */
    fixtures: z.object({ seed: z.number().int(), maxUploadBytes: z.number().int().positive() }).strict(),
    /** How long new journeys started (ms): the load lasts this long, plus the last journeys' time to finish. */
    durationMs: z.number().nonnegative(),
    journeys: z.array(recordedJourneySchema),
  })
  .strict()
  .refine((w) => new Set(w.journeys.map((j) => j.index)).size === w.journeys.length, { message: 'journey indices must be unique' });

export type RecordedWorkload = z.infer<typeof recordedWorkloadSchema>;

/** What runWorkload writes in its `start` entry's options that a recording needs. */
const startOptionsSchema = z.object({
  seed: z.number().int(),
  runTag: z.string(),
  arrivalPhaseMs: z.number().nonnegative(),
  fixtures: z.object({ seed: z.number().int(), maxUploadBytes: z.number().int().positive() }).passthrough(),
});

/**
 * The recorded workload of a run, from its history (the workload's own file or the merged one):
 * the `start` entry's options and each journey's description on its first invoke.
 */
export function recordedWorkload(entries: readonly HistoryEntry[]): RecordedWorkload {
  const starts = entries.filter((e): e is WorkloadEntry => e.type === 'workload' && e.phase === 'start');
  if (starts.length !== 1) throw new Error(`a run's history has one workload start; this one has ${starts.length}`);
  const start = startOptionsSchema.safeParse(starts[0].options ?? {});
  if (!start.success) throw new Error(`the workload start does not say what a recording needs: ${start.error.message}`);
  const described = entries.filter((e): e is InvokeEntry & { journey: object } => e.type === 'invoke' && e.journey !== undefined);
  const journeys = described.map((e) => ({ index: e.process, ...e.journey })).sort((a, b) => a.index - b.index);
  const options = start.data;
  return recordedWorkloadSchema.parse({
    version: 1,
    runTag: options.runTag,
    seed: options.seed,
    fixtures: { seed: options.fixtures.seed, maxUploadBytes: options.fixtures.maxUploadBytes },
    durationMs: options.arrivalPhaseMs,
    journeys,
  });
}

/** The recording with only the journeys `keep` says (a shrinker's candidate). */
export function withJourneys(workload: RecordedWorkload, keep: (index: number) => boolean): RecordedWorkload {
  return { ...workload, journeys: workload.journeys.filter((j) => keep(j.index)) };
}
