import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createAwsClients } from '@imagery/aws-adapters';
import { readStoreBaseline } from '@imagery/checker/final-state';
import type { StoreBaseline } from '@imagery/checker/store-baseline';
import { repoRoot } from '@imagery/kernel/repo-root';
import { MANIFEST_FILE, generateFixtures } from '../../../load/fixtures';
import type { PlatformSession } from '../../../platform/local/session';
import { nothingLeftNow, waitForDrain } from '../drain';
import { emptyStore, storeOf } from '../empty-store';
import type { ExperimentRunOptions } from './run-options';

/** The platform idle and the store as the run starts, the fixtures the workload sends, and where the run writes. */
export interface RunStart {
  readonly baseline: StoreBaseline;
  readonly fixturesDir: string;
  readonly runDir: string;
}

/**
 * Waits until the platform is idle (one read when the caller vouches it is: platformIdle), empties
 * the store if asked (emptyStoreFirst), then reads the store: the run is judged on what differs at
 * its end, whoever changed it.
 */
export async function takeBaseline(
  session: PlatformSession,
  options: Pick<ExperimentRunOptions, 'experiment' | 'seed' | 'log' | 'platformIdle' | 'emptyStoreFirst'>,
): Promise<RunStart> {
  const target = { env: session.directEnv };
  if (!(options.platformIdle && (await nothingLeftNow(target)))) {
    options.log(`${options.experiment}: waiting for the platform to be idle before starting`);
    await waitForDrain(target, 60_000);
  }
  const fixturesDir = await ensureFixtures(options.seed, session.maxUploadBytes);
  const clients = createAwsClients({ s3ForcePathStyle: session.emulatorEndpoint !== '' });
  if (options.emptyStoreFirst) await emptyStore(clients, storeOf(session.directEnv));
  const baseline = await readStoreBaseline({
    clients,
    tableName: session.directEnv.IMAGES_TABLE,
    bucket: session.directEnv.IMAGES_BUCKET,
  }).finally(() => clients.destroy());
  const runDir = join(repoRoot(), '.run', 'runs', `${Date.now()}-${options.experiment}`);
  mkdirSync(runDir, { recursive: true });
  return { baseline, fixturesDir, runDir };
}

async function ensureFixtures(seed: number, maxUploadBytes: number): Promise<string> {
  const dir = join(repoRoot(), '.run', 'fixtures', `seed-${seed}-limit-${maxUploadBytes}`);
  if (existsSync(join(dir, MANIFEST_FILE))) return dir;
  // Made aside, then renamed into place: two runs at once (parallel jest workers) never rewrite a
  // file the other is reading. The loser of the rename drops its copy (the same seeded bytes); a
  // directory without a manifest is an interrupted run's, replaced.
  const aside = `${dir}.${process.pid}`;
  await generateFixtures(aside, { seed, maxUploadBytes });
  try {
    renameSync(aside, dir);
  } catch {
    if (existsSync(join(dir, MANIFEST_FILE))) rmSync(aside, { recursive: true, force: true });
    else {
      rmSync(dir, { recursive: true, force: true });
      renameSync(aside, dir);
    }
  }
  return dir;
}
