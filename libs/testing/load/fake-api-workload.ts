import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionEntry, HistoryEntry } from '@imagery/history/history-entry';
import { readHistoryFile } from '@imagery/history/history-file';
import type { FixtureManifest } from '../../../load/fixtures';
import { runWorkload, type WorkloadOptions, type WorkloadResult } from '../../../load/run-workload';
import { startFakeApi, type FakeApi, type FakeApiOptions } from './fake-api';
import { writeSmallFixtures } from './small-fixtures';

export interface FakeApiRun {
  readonly result: WorkloadResult;
  readonly entries: HistoryEntry[];
  readonly api: FakeApi;
}

/**
 * For a spec file: the workload against a fresh fake API per run, on the small fixtures, with
 * timings short enough for a unit test; its history is read back strictly. Registers the jest
 * hooks that make and remove its folder and close the API.
 */
export function useFakeApiWorkload(prefix: string): {
  run(fake: FakeApiOptions, options: Partial<WorkloadOptions>): Promise<FakeApiRun>;
  manifest(): FixtureManifest;
  dir(): string;
} {
  let dir: string;
  let manifest: FixtureManifest;
  let api: FakeApi | undefined;
  let runs = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
    manifest = await writeSmallFixtures(join(dir, 'fixtures'));
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function run(fake: FakeApiOptions, options: Partial<WorkloadOptions>): Promise<FakeApiRun> {
    api = await startFakeApi({ processAfterMs: 30, ...fake });
    const historyPath = join(dir, `history-${++runs}.jsonl`);
    const result = await runWorkload({
      baseUrl: api.url,
      fixturesDir: join(dir, 'fixtures'),
      historyPath,
      badShare: 0,
      retryBaseMs: 10,
      retryMaxMs: 40,
      pollMinMs: 10,
      pollMaxMs: 20,
      processTimeoutMs: 3000,
      gracefulStopSeconds: 5,
      preflightTimeoutMs: 2000,
      ...options,
    });
    const read = await readHistoryFile(historyPath);
    expect(read.truncatedTail).toBeUndefined();
    return { result, entries: read.entries, api };
  }
  return { run, manifest: () => manifest, dir: () => dir };
}

export const completions = (entries: HistoryEntry[]): CompletionEntry[] =>
  entries.filter((e): e is CompletionEntry => e.type === 'ok' || e.type === 'fail' || e.type === 'info');
