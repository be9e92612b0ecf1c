import { round1, round2 } from '@imagery/kernel/stats';
import { repoRoot } from '@imagery/kernel/repo-root';
import { join } from 'node:path';
import type { Teardown } from '@imagery/kernel/process/teardown';
import { ManagedProcess, describeExit } from '@imagery/kernel/process/managed-process';
import { SepiaEmulator, uploadedImage } from './emulator';
import { MemorySampler, sampleProcMemory } from './proc-memory';
import { log, ms, RSS_CONCURRENCY, RSS_LIMIT_MB, RSS_SAMPLE_MS, RssResult, SizeSpec } from './settings';
import { chunked } from './streams';
import { WorkerOutcomes } from './worker-outcomes';

/** The real worker on queued 12 MP images at concurrency 4, its memory read from /proc. */
export async function benchWorkerRss(size: SizeSpec, jpeg: Buffer, emulator: SepiaEmulator, teardown: Teardown): Promise<RssResult> {
  const { adapters } = emulator;
  const count = Number(process.env.BENCH_RSS_IMAGES) || 16;
  const [warmId, ...jobIds] = await uploadedImages(size, jpeg, emulator, count + 1);
  const { worker, sampler, outcomes } = startWorker(emulator, teardown);

  // Ready means it has done one job: Nest booted, sharp loaded, connections open.
  await adapters.queue.send({ imageId: warmId });
  await outcomes.until(() => outcomes.finished >= 1, 90_000, 'the warm-up image');
  const idleRssMb = sampler.last?.rssMb ?? NaN;
  log(`worker ready (pid ${worker.pid}, RSS ${ms(idleRssMb)} MB after one image); enqueueing ${count} x ${size.label}...`);

  const t0 = performance.now();
  await Promise.all(jobIds.map((imageId) => adapters.queue.send({ imageId })));
  reportProgress(outcomes, sampler, count);
  try {
    await outcomes.until(() => outcomes.finished >= count + 1, 150_000, `${count} images to be processed`);
  } catch (error) {
    log(`${(error as Error).message}`);
  }
  const seconds = ((outcomes.lastDone || performance.now()) - t0) / 1000;
  sampler.stop();
  const last = sampler.last;
  log(`worker stopped (${describeExit(await worker.stop())})`);

  // The table is the authority on what was processed, not the log.
  const states = await Promise.all(jobIds.map(async (id) => (await adapters.table.get(id))?.state));
  const done = states.filter((s) => s === 'processed').length;
  const peakRssMb = Math.max(last?.hwmMb ?? 0, sampler.maxRssMb);
  return {
    images: count,
    concurrency: RSS_CONCURRENCY,
    megapixels: round1((size.width * size.height) / 1e6),
    maxInputPixels: emulator.config.MAX_INPUT_PIXELS,
    idleRssMb: round1(idleRssMb),
    peakRssMb: round1(peakRssMb),
    sampledMaxRssMb: round1(sampler.maxRssMb),
    samples: sampler.samples,
    seconds: round2(seconds),
    imagesPerSecond: round2(done / seconds),
    processed: done,
    jobErrors: outcomes.jobErrors,
    limitMb: RSS_LIMIT_MB,
    pass: peakRssMb > 0 && peakRssMb < RSS_LIMIT_MB && done === count,
  };
}

/** `n` uploaded images, all pointing at one raw object of this size. */
async function uploadedImages(size: SizeSpec, jpeg: Buffer, emulator: SepiaEmulator, n: number): Promise<string[]> {
  const rawKey = `bench/rss-raw-${size.label.replace(' ', '')}`;
  await emulator.adapters.store.put(rawKey, chunked(jpeg), 'image/jpeg');
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await uploadedImage(emulator.adapters, rawKey));
  return ids;
}

/** The worker (BENCH_WORKER_SCRIPT or this build's), its memory sampled, its jobs counted; `teardown` stops both. */
function startWorker(
  emulator: SepiaEmulator,
  teardown: Teardown,
): { worker: ManagedProcess; sampler: MemorySampler; outcomes: WorkerOutcomes } {
  const script = process.env.BENCH_WORKER_SCRIPT || join(repoRoot(), 'dist', 'apps', 'worker', 'src', 'main.js');
  const logFile = join(repoRoot(), '.run', 'bench-sepia-worker.log');
  log(`worker phase: starting ${script} (WORKER_CONCURRENCY=${RSS_CONCURRENCY}, log ${logFile})...`);
  const env = { ...emulator.env, WORKER_CONCURRENCY: String(RSS_CONCURRENCY), RECEIVE_WAIT_SECONDS: '1', NO_COLOR: '1' };
  const outcomes = new WorkerOutcomes(logFile);
  const worker = new ManagedProcess({
    name: 'worker',
    command: process.execPath,
    args: [script],
    env,
    logFile,
    onLine: (line) => outcomes.read(line),
  });
  teardown.add(worker, (w) => w.stop(), 'worker');
  void worker.ended.then((exit) => outcomes.workerEnded(describeExit(exit)));
  const pid = worker.pid;
  if (pid === undefined) throw new Error(`cannot spawn ${script}`);
  const sampler = sampleProcMemory(pid, RSS_SAMPLE_MS);
  teardown.add(sampler, (s) => s.stop(), 'memory sampler');
  return { worker, sampler, outcomes };
}

/** A progress line each quarter of the jobs (the warm-up image left out), and at the last. */
function reportProgress(outcomes: WorkerOutcomes, sampler: MemorySampler, count: number): void {
  let reported = 0;
  outcomes.onProgress(() => {
    const done = outcomes.processed - 1;
    if (done >= reported + Math.ceil(count / 4) || (done === count && reported < count)) {
      reported = done;
      log(`worker: ${done}/${count} processed, RSS now ${ms(sampler.last?.rssMb ?? NaN)} MB, peak ${ms(sampler.last?.hwmMb ?? NaN)} MB`);
    }
  });
}
