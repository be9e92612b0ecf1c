/**
 * `npm run bench:sepia`: what the worker's processing costs per image, against the bare sharp transform
 * of the same image, measured in one run; then the real worker's peak memory on 12 MP images.
 *
 * One step per file in bench/sepia/:
 *
 *   1. Starts its own moto server (free port) and deploys infra/data.yaml on it.
 *   2. For 1, 4 and 12 MP photo-like JPEGs (quality 85), interleaving the variants so they share the
 *      machine's noise: bare sharp from a buffer (the baseline), the worker's sepia stream alone, the
 *      worker's whole job (the ProcessImage use case with the real adapters: S3 get, sepia, S3 put,
 *      DynamoDB transition), and the emulator's share of that job on its own (S3 get + put of the same
 *      bytes; the job's three DynamoDB calls).
 *   3. Runs the real worker (dist/apps/worker/src/main.js) at concurrency 4 on 16 queued 12 MP images
 *      and samples its RSS from /proc every 50 ms: the peak must stay under 400 MB.
 *
 * Prints a table, writes .run/bench-sepia.json, exits non-zero when the peak RSS is 400 MB or more
 * (or the worker does not process every image). Environment: BENCH_ITERATIONS (all sizes),
 * BENCH_RSS_IMAGES (default 16), BENCH_WORKER_SCRIPT (another build of the worker to measure).
 */
import { benchTeardown } from './bench-teardown';
import { startEmulator } from './sepia/emulator';
import { printRss, printSizeTable } from './sepia/print-results';
import { writeSepiaReport } from './sepia/report';
import { SizeResult, SIZES } from './sepia/settings';
import { benchSize } from './sepia/size-bench';
import { makeTestImages } from './sepia/test-images';
import { benchWorkerRss } from './sepia/worker-rss';

async function main(): Promise<number> {
  const started = Date.now();
  const teardown = benchTeardown('the worker and the emulator');
  try {
    const emulator = await startEmulator(teardown);
    const images = await makeTestImages();
    const results: SizeResult[] = [];
    for (const size of SIZES) results.push(await benchSize(size, images.get(size.label)!, emulator));
    printSizeTable(results);
    const largest = SIZES[SIZES.length - 1];
    const rss = await benchWorkerRss(largest, images.get(largest.label)!, emulator, teardown);
    printRss(rss, results[results.length - 1]);
    writeSepiaReport(started, emulator, results, rss);
    return rss.pass ? 0 : 1;
  } finally {
    await teardown.stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exit(1);
  },
);
