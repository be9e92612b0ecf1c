import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { round3 } from '@imagery/kernel/stats';
import { runExecutor, ScenarioConfig } from '../../load/engine/executors';
import { httpGet } from './round-trip';

/** What serving one request costs Node's own HTTP server, with no framework (bare-http-server.ts). */
export interface BareHttpCpu {
  /** Requests measured, after a warm-up left out. */
  readonly requests: number;
  /** Offered rate, requests/s: one API instance's share of the API load. */
  readonly rate: number;
  /** The server's CPU (user + system) per request, core-ms. */
  readonly perRequestMs: number;
}

/** Answered back to back before the measure: a cold server costs twice as much per request (JIT). */
const WARMUP_REQUESTS = 5000;
const MEASURED_SECONDS = 10;
const SOCKETS = 4;

/**
 * The bare server, forked, answers `body` at `rate` requests/s over keep-alive connections (as HAProxy
 * reaches an API instance), from this process; its own process.cpuUsage() prices a request. This is the
 * HTTP share of the API's floor (floors.ts): an API can serve a request for no less.
 */
export async function measureBareHttpCpu(body: string, rate: number): Promise<BareHttpCpu> {
  const server = fork(join(__dirname, 'bare-http-server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
  try {
    server.send({ body });
    const url = `http://127.0.0.1:${(await reply<{ port: number }>(server, 'port')).port}/`;
    await warmUp(url, agent);
    const before = (await reply<{ cpuMicros: number }>(server, 'cpuMicros', 'cpu')).cpuMicros;
    // up to a second's arrivals in flight: none dropped
    const requests = await offer(url, agent, { executor: 'constant-arrival-rate', rate, duration: MEASURED_SECONDS * 1000, maxVUs: rate });
    const after = (await reply<{ cpuMicros: number }>(server, 'cpuMicros', 'cpu')).cpuMicros;
    return { requests, rate, perRequestMs: round3((after - before) / 1000 / requests) };
  } finally {
    agent.destroy();
    if (server.connected) server.disconnect(); // the server exits on disconnect
    if (server.exitCode === null && server.signalCode === null) await once(server, 'exit');
  }
}

/** The next message of the server carrying `key`, after sending `ask` if given. */
async function reply<T>(server: ReturnType<typeof fork>, key: keyof T & string, ask?: string): Promise<T> {
  const answer = new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || !(key in message)) return;
      server.off('message', onMessage);
      server.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`bare-http-server exited (${code}) before answering ${key}`));
    server.on('message', onMessage);
    server.once('exit', onExit);
  });
  if (ask) server.send(ask);
  return answer;
}

async function warmUp(url: string, agent: Agent): Promise<void> {
  let left = WARMUP_REQUESTS;
  const loop = async () => {
    while (left-- > 0) await httpGet(agent, url);
  };
  await Promise.all(Array.from({ length: SOCKETS }, loop));
}

/** GETs as the scenario paces them (load/engine's executors); every one must be answered 200. */
async function offer(url: string, agent: Agent, scenario: ScenarioConfig): Promise<number> {
  const run = runExecutor(scenario, async () => {
    await httpGet(agent, url);
    return true;
  });
  await run.done;
  const { ok, failed, dropped, interrupted } = run.counts;
  if (failed + dropped + interrupted > 0) {
    throw new Error(
      `bare-http-server: ${failed} failed, ${dropped} dropped, ${interrupted} interrupted (${run.errors[0]?.message ?? 'no error'})`,
    );
  }
  return ok;
}
