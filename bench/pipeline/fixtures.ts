import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { FixtureManifest, generateFixtures, MANIFEST_FILE } from '../../load/fixtures';
import type { FixtureFile } from './emulator-rate';
import type { Session } from './start-platform';

export interface BenchFixtures {
  /** Where the workload reads them from. */
  readonly dir: string;
  readonly files: readonly FixtureFile[];
}

/** The workload's fixture images for this seed and the platform's upload limit: generated once, reused after. */
export async function benchFixtures(session: Session, seed: number, log: (line: string) => void): Promise<BenchFixtures> {
  const dir = join(repoRoot(), '.run', 'fixtures', `seed-${seed}-limit-${session.maxUploadBytes}`);
  return { dir, files: await fixtureFiles(dir, seed, session.maxUploadBytes, log) };
}

/** The fixtures in `dir` (generated there first if missing), as the bench's steps read them. */
export async function fixtureFiles(dir: string, seed: number, maxUploadBytes: number, log: (line: string) => void): Promise<FixtureFile[]> {
  const manifest = await ensureFixtures(dir, seed, maxUploadBytes);
  const files: FixtureFile[] = manifest.images.map((f) => ({
    path: join(dir, f.file),
    bytes: f.bytes,
    sha256: f.sha256,
    width: f.width,
    height: f.height,
  }));
  log(`fixtures: ${files.map((f) => `${f.width}x${f.height} ${Math.round(f.bytes / 1024)} KB`).join(', ')}`);
  return files;
}

async function ensureFixtures(dir: string, seed: number, maxUploadBytes: number): Promise<FixtureManifest> {
  if (existsSync(join(dir, MANIFEST_FILE))) return JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as FixtureManifest;
  return generateFixtures(dir, { seed, maxUploadBytes });
}
