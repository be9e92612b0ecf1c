/**
 * `npm run bench:ceiling`: only the emulator half of `npm run bench`'s ceiling step (bench/pipeline/ceiling.ts),
 * in about a minute: the emulator as the platform runs it (one lean moto process per service, the data
 * stack deployed to each) against one plain moto process, with the same client and levels, one after
 * the other, and their ratio (issue 16's "emulator ceiling ÷ one plain moto process" row). No fleet,
 * Toxiproxy or sharp: for working on the emulator; the bench row itself comes from `npm run bench`.
 * Environment: BENCH_SEED (1), BENCH_MAX_UPLOAD_BYTES (2 MiB, the platform's default): the fixtures'.
 */
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { deployDataStackToEmulator, resourcesToEnv } from '../platform/local/emulator/data-stack';
import { startEmulator } from '../platform/local/emulator/emulator';
import { benchTeardown } from './bench-teardown';
import { BenchLog } from './pipeline/bench-log';
import { measureEmulatorAgainstPlainMoto } from './pipeline/ceiling';
import { directAws } from './pipeline/direct-aws';
import { fixtureFiles } from './pipeline/fixtures';

const bench = new BenchLog();
const log = bench.line;

async function main(): Promise<number> {
  const teardown = benchTeardown('the emulator', () => bench.silence());
  try {
    const seed = Number(process.env.BENCH_SEED ?? 1);
    const maxUploadBytes = Number(process.env.BENCH_MAX_UPLOAD_BYTES ?? 2 * 1024 * 1024);
    const fixtures = await fixtureFiles(
      join(repoRoot(), '.run', 'fixtures', `seed-${seed}-limit-${maxUploadBytes}`),
      seed,
      maxUploadBytes,
      log,
    );
    const emulator = teardown.add(await startEmulator({ logPrefix: 'bench-ceiling-moto' }), (e) => e.stop(), 'the emulator');
    const resources = await deployDataStackToEmulator(emulator.endpoints, { stackName: 'imagery-bench-ceiling' });
    const direct = teardown.add(
      directAws(resourcesToEnv(emulator.endpoints, resources), emulator.endpoints),
      (a) => a.destroy(),
      'AWS clients',
    );
    const { emulator: lean, plainMoto, ratioToPlainMoto } = await measureEmulatorAgainstPlainMoto(fixtures, direct, log);
    for (const [name, result] of [
      ['emulator', lean],
      ['plain moto', plainMoto],
    ] as const)
      log(`${name}: ${result.opsPerImage} ops per image; ${result.operations.map((o) => `${o.operation} p50 ${o.p50} ms`).join(', ')}`);
    console.log(
      `emulator ceiling ÷ one plain moto process: ${ratioToPlainMoto}× (${lean.best.opsPerSecond} ÷ ${plainMoto.best.opsPerSecond} ops/s)`,
    );
    return 0;
  } finally {
    await teardown.stopAll();
    log(`done in ${bench.elapsedSeconds()} s`);
    if (bench.interrupted) await new Promise(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exit(1);
  },
);
