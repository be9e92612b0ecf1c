import { join } from 'node:path';
import { HistoryFileWriter } from '@imagery/history/history-file';
import type { Journey } from '../../load/engine/run-load';
import { runLoad } from '../../load/engine/run-load';
import { SECONDS } from './settings';

/** One round at a constant arrival rate: what was offered, what went out, and what it cost the generator. */
export interface Round {
  readonly name: string;
  readonly offered: number;
  readonly achieved: number;
  readonly requests: number;
  readonly dropped: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuMsPer1000: number;
  readonly cores: number;
  readonly errors: number;
}

/** Runs `journey` at `rate` iterations/s against `baseUrl`, its history written to `dir` as in a real run. */
export async function runRound(
  name: string,
  rate: number,
  requestsPerIteration: number,
  journey: Journey,
  baseUrl: string,
  dir: string,
  seconds = SECONDS,
): Promise<Round> {
  const history = await HistoryFileWriter.open(join(dir, `history-${name.replace(/\W+/g, '')}-${rate}.jsonl`));
  const { summary } = await runLoad({
    name,
    baseUrl,
    scenario: { executor: 'constant-arrival-rate', rate, duration: seconds * 1000, maxVUs: 2000, gracefulStop: '5s' },
    connections: 64, // plenty for sub-millisecond answers; fewer sockets, less work on both sides
    journey,
    seed: 1,
    runTag: 'bench',
    retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 },
    history,
    replayOptions: { bench: name, rate },
  });
  await history.close();
  const r: Round = {
    name,
    offered: rate * requestsPerIteration,
    achieved: summary.requests.perSecond,
    requests: summary.requests.total,
    dropped: summary.iterations.dropped,
    p50: summary.latencyMs.all.p50,
    p99: summary.latencyMs.all.p99,
    cpuMsPer1000: summary.cpu.msPer1000Requests,
    cores: summary.cpu.cores,
    errors: summary.requests.total - Object.values(summary.requests.byOp).reduce((n, o) => n + o.ok, 0),
  };
  console.log(
    `${name} at ${rate}/s: ${r.achieved} req/s, ${r.dropped} dropped, p99 ${r.p99} ms, ` +
      `${r.cpuMsPer1000} CPU ms per 1000 requests, ${r.cores} cores`,
  );
  return r;
}
