import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BadInputKind } from '@imagery/history/history-entry';
import { repoRoot } from '@imagery/kernel/repo-root';
import { parseDuration } from './engine/duration';
import { terminalProgress } from './engine/progress';
import { DEFAULT_MAX_UPLOAD_BYTES, generateFixtures, MANIFEST_FILE } from './fixtures';
import type { ScenarioName } from './imagery';
import { readRecordedWorkload } from './recorded-workload-file';
import { runWorkload } from './run-workload';

const USAGE = `usage: npm run load -- --url http://127.0.0.1:8080 [options]

  --url URL                 the API (or HAProxy in front of it); default http://127.0.0.1:8080
  --scenario NAME           steady (constant arrival rate) | spike (ramping) | smoke (one journey after another); default steady
  --rate N                  new journeys per second (spike: the base rate); default 10
  --duration D              how long journeys start: 30s, 2m, 1m30s; default 60s
  --spike-factor N          spike: peak = rate × N; default 5
  --iterations N            smoke: journeys; default 1
  --seed N                  the workload's choices; default 1
  --run-tag TAG             per-run nonce in ids and request ids; default seed-<seed>
  --bad-share X             share of journeys sending bad input; default 0.1
  --bad-kinds LIST          subset of not-an-image,truncated,too-large,bad-id; default all
  --fixtures DIR            generated fixtures; default .run/fixtures/seed-<seed>-limit-<max-upload-bytes>, made if missing
  --max-upload-bytes N      the API's MAX_UPLOAD_BYTES, for the too-large fixture; default 20971520
  --history FILE            the history (JSON Lines); default .run/load/history-<time>.jsonl
  --summary-json FILE       also write the summary as JSON
  --max-attempts N          tries per request; default 8
  --timeout D               per request, headers and body each; default 10s
  --process-timeout D       upload acknowledged → processed; default 30s
  --max-vus N               journey slots (k6 maxVUs); default from the rate
  --p95 MS, --p99 MS        thresholds on successful requests per op; default 1000, 2500
  --max-failed-journeys X   threshold on journeys failed after retries; default 0.01
  --abort-on-fail           stop as soon as a threshold is crossed
  --recorded FILE           replay a run's journeys exactly (each at its offset, same ids, bytes, request ids): FILE is its
                            history (.jsonl), its report.json or the recording (JSON); the scenario, rate, duration, seed,
                            run tag and shares are then the recording's; fixtures default to the recording's seed and limit

Exit code: 0 completed with every threshold held, 99 a threshold crossed, 108 aborted by a threshold,
105 interrupted (Ctrl-C), 2 bad usage or nothing answering.`;

const CLI_OPTIONS = {
  url: { type: 'string', default: 'http://127.0.0.1:8080' },
  scenario: { type: 'string', default: 'steady' },
  rate: { type: 'string', default: '10' },
  duration: { type: 'string', default: '60s' },
  'spike-factor': { type: 'string', default: '5' },
  iterations: { type: 'string', default: '1' },
  seed: { type: 'string', default: '1' },
  'run-tag': { type: 'string' },
  'bad-share': { type: 'string', default: '0.1' },
  'bad-kinds': { type: 'string' },
  fixtures: { type: 'string' },
  'max-upload-bytes': { type: 'string', default: String(DEFAULT_MAX_UPLOAD_BYTES) },
  history: { type: 'string' },
  'summary-json': { type: 'string' },
  'max-attempts': { type: 'string', default: '8' },
  timeout: { type: 'string', default: '10s' },
  'process-timeout': { type: 'string', default: '30s' },
  'max-vus': { type: 'string' },
  p95: { type: 'string', default: '1000' },
  p99: { type: 'string', default: '2500' },
  'max-failed-journeys': { type: 'string', default: '0.01' },
  'abort-on-fail': { type: 'boolean', default: false },
  recorded: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

async function main(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({ args: argv, strict: true, options: CLI_OPTIONS });
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  const num = (name: keyof typeof v) => {
    const n = Number(v[name]);
    if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number; got ${v[name]}`);
    return n;
  };
  const recorded = v.recorded ? await readRecordedWorkload(resolve(v.recorded)) : undefined;
  const seed = recorded?.fixtures.seed ?? num('seed');
  const maxUploadBytes = recorded?.fixtures.maxUploadBytes ?? num('max-upload-bytes');
  const root = repoRoot();
  const fixturesDir = await fixturesIn(resolve(v.fixtures ?? join(root, '.run', 'fixtures', `seed-${seed}-limit-${maxUploadBytes}`)), {
    seed,
    maxUploadBytes,
  });
  const historyPath = resolve(v.history ?? join(root, '.run', 'load', `history-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`));
  await mkdir(join(historyPath, '..'), { recursive: true });

  const interrupt = interruptOnSignals();
  const progress = terminalProgress(process.stderr);
  const timeoutMs = parseDuration(v.timeout);
  try {
    const result = await runWorkload({
      baseUrl: v.url,
      scenario: v.scenario as ScenarioName,
      rate: num('rate'),
      durationSeconds: parseDuration(v.duration) / 1000,
      spikeFactor: num('spike-factor'),
      iterations: num('iterations'),
      seed,
      ...(v['run-tag'] ? { runTag: v['run-tag'] } : {}),
      badShare: num('bad-share'),
      ...(v['bad-kinds'] ? { badKinds: v['bad-kinds'].split(',').map((s) => s.trim()) as BadInputKind[] } : {}),
      fixturesDir,
      historyPath,
      maxAttempts: num('max-attempts'),
      timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs },
      processTimeoutMs: parseDuration(v['process-timeout']),
      ...(v['max-vus'] ? { maxVUs: num('max-vus') } : {}),
      p95Ms: num('p95'),
      p99Ms: num('p99'),
      maxFailedJourneys: num('max-failed-journeys'),
      abortOnFail: v['abort-on-fail'],
      onProgress: progress.update,
      signal: interrupt.signal,
      ...(recorded ? { recorded } : {}),
    });
    progress.end();
    console.log(result.text);
    console.log(`history: ${historyPath}`);
    if (v['summary-json']) await writeFile(resolve(v['summary-json']), `${JSON.stringify(result.summary, null, 2)}\n`);
    if (interrupt.interrupted()) return 105;
    if (result.outcome === 'aborted') return 108;
    return result.thresholdsOk ? 0 : 99;
  } finally {
    progress.end();
    interrupt.dispose();
  }
}

/** The fixtures in `dir`, generated first when it has none. */
async function fixturesIn(dir: string, options: { seed: number; maxUploadBytes: number }): Promise<string> {
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    console.error(`generating fixtures into ${dir} ...`);
    await generateFixtures(dir, options);
  }
  return dir;
}

/** Ctrl-C (or SIGTERM) aborts the run, letting it write its end; a second one exits at once. */
function interruptOnSignals(): { signal: AbortSignal; interrupted: () => boolean; dispose: () => void } {
  const stop = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(105); // a second Ctrl-C: do not wait
    interrupted = true;
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  return {
    signal: stop.signal,
    interrupted: () => interrupted,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    },
  };
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error & { code?: string }) => {
    // every refusal (bad option, no fixtures, nothing answering) is a sentence; the stack helps only with a bug
    console.error(process.env.DEBUG ? error.stack : error.message);
    if (error instanceof UsageError || error.code?.startsWith('ERR_PARSE_ARGS')) console.error(`\n${USAGE}`);
    process.exit(2);
  },
);
