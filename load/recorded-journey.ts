import { z } from 'zod';
import type { FixtureSet, UploadBody } from './fixture-set';
import type { JourneyPlan } from './journey-plan';

/**
 * One journey of a recorded workload (load/recorded-workload.ts): when it started, what it is and
 * the bytes it sends, named by fixture file and SHA-256 (the fixtures are regenerated from their
 * seed, and each is checked by its hash). Each journey writes this description on its first
 * request's invoke (load/imagery.ts), so any run's history holds its own recording.
 */
const fixtureRefSchema = z.object({ file: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

export const JOURNEY_KINDS = ['good', 'not-an-image', 'truncated', 'too-large', 'bad-id'] as const;

export const recordedJourneySchema = z
  .object({
    /** The journey's number (the history's `process`): its request ids and retry jitter derive from it. */
    index: z.number().int().nonnegative(),
    /** Its start: ms since the workload started. */
    at: z.number().nonnegative(),
    /** `good`, or the bad input it sends on purpose. */
    kind: z.enum(JOURNEY_KINDS),
    /** The image id its requests name (bad-id: the malformed id sent). */
    id: z.string().min(1),
    /** What it uploads: a fixture image, or the bad file of its kind. */
    image: fixtureRefSchema,
    /** Good journeys: a rival upload of another fixture to the same id at the same time. */
    rival: fixtureRefSchema.optional(),
    /** Good journeys: the create sent again once the image is processed. */
    lateCreate: z.literal(true).optional(),
  })
  .strict()
  .refine((j) => j.kind === 'good' || (j.rival === undefined && j.lateCreate === undefined), {
    message: 'only a good journey has a rival upload or a late create',
  });

export type RecordedJourney = z.infer<typeof recordedJourneySchema>;
export type FixtureRef = z.infer<typeof fixtureRefSchema>;

/**
 * What a journey writes about itself on its first invoke: its recording minus `index` (the
 * invoke's `process`) and `at` (the virtual user adds it).
 */
export function describedJourney(plan: JourneyPlan): Omit<RecordedJourney, 'index' | 'at'> {
  const ref = (body: UploadBody): FixtureRef => ({ file: body.file, sha256: body.sha256 });
  return {
    kind: plan.kind,
    id: plan.id,
    image: ref(plan.image),
    ...(plan.rival ? { rival: ref(plan.rival) } : {}),
    ...(plan.lateCreate ? { lateCreate: true as const } : {}),
  };
}

/**
 * The plan of each recorded journey on these fixtures, by journey number, made before the run
 * starts: throws at once when a fixture a journey names is missing (another seed, another limit).
 */
export function recordedPlans(fixtures: FixtureSet, journeys: readonly RecordedJourney[]): ReadonlyMap<number, JourneyPlan> {
  const bySha = new Map([...fixtures.images, ...fixtures.bad.values()].map((body) => [body.sha256, body]));
  const plans = new Map<number, JourneyPlan>();
  for (const journey of journeys) {
    const body = (ref: FixtureRef): UploadBody => {
      const found = bySha.get(ref.sha256);
      if (!found)
        throw new Error(
          `journey ${journey.index} uploads ${ref.file} (sha256 ${ref.sha256.slice(0, 12)}…), which is not among the fixtures in ` +
            `${fixtures.dir}: generate them with the recording's fixture seed and upload limit`,
        );
      return found;
    };
    plans.set(journey.index, {
      kind: journey.kind,
      id: journey.id,
      image: body(journey.image),
      ...(journey.rival ? { rival: body(journey.rival) } : {}),
      ...(journey.lateCreate ? { lateCreate: true as const } : {}),
    });
  }
  return plans;
}
