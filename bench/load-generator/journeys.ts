import type { Journey } from '../../load/engine/run-load';
import { loadFixtureSet } from '../../load/fixture-set';
import { generateFixtures } from '../../load/fixtures';
import { ALL_BAD_KINDS, imageryJourney, type ImageryKnobs } from '../../load/imagery';
import { JOURNEY_RATE, SECONDS } from './settings';

/** One GET /image/:id per iteration. */
export const getOnce: Journey = async (vu) => {
  const res = await vu.send('get', 'bench', {
    method: 'GET',
    path: '/image/00000000-0000-4000-8000-000000000000',
    headers: { accept: 'application/json' },
  });
  return { ok: res.status === 200, kind: 'good' };
};

/**
 * The imagery journey: create, upload (a real fixture JPEG, generated into `dir` if none is there),
 * one poll (the canned API says processed at once).
 */
export async function imageryJourneyOnce(dir: string): Promise<Journey> {
  const fixtures = await loadFixtureSet(dir).catch(async () => {
    await generateFixtures(dir, { seed: 1, maxUploadBytes: 1024 * 1024, sizes: [{ width: 320, height: 240 }] });
    return loadFixtureSet(dir);
  });
  const knobs: ImageryKnobs = {
    scenario: 'steady',
    rate: JOURNEY_RATE,
    durationSeconds: SECONDS,
    spikeFactor: 1,
    iterations: 1,
    badShare: 0,
    badKinds: ALL_BAD_KINDS,
    maxAttempts: 1,
    retryMaxMs: 1,
    processTimeoutMs: 5000,
    pollMinMs: 10,
    pollMaxMs: 10,
    p95Ms: 1e9,
    p99Ms: 1e9,
    maxFailedJourneys: 1,
    minChecks: 0,
    abortOnFail: false,
  };
  return imageryJourney(fixtures, knobs, { seed: 1, runTag: 'bench', badShare: 0, badKinds: [], images: fixtures.images.length });
}
