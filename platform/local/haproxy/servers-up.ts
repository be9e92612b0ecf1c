import { setTimeout as sleep } from 'node:timers/promises';
import type { HaproxyServer } from './haproxy-server';

export interface ServersUpOptions {
  /** Pause between two reads of the stats; default 100 ms. */
  readonly intervalMs?: number;
  /** Must hold at the same check as well (the bench: every fleet slot runs again). */
  readonly alsoRequire?: () => boolean;
}

export interface ServersUp {
  /** Whether `count` servers were UP (and `alsoRequire` held) before the time ran out. */
  readonly up: boolean;
  /** The states last read, e.g. { 'api-1': 'UP', 'api-2': 'DOWN' } (empty if the stats did not answer). */
  readonly states: Readonly<Record<string, string>>;
  /** How many times the stats were read: 1 when the servers were already UP. */
  readonly checks: number;
}

/**
 * Reads HAProxy's server states until `count` of its API servers are UP (HAProxy needs `rise`
 * good checks per server), or `timeoutMs` has passed. Never rejects: the caller decides what a
 * timeout means (the start fails, the bench goes on).
 */
export async function waitForServersUp(
  haproxy: Pick<HaproxyServer, 'serverStates'>,
  count: number,
  timeoutMs: number,
  options: ServersUpOptions = {},
): Promise<ServersUp> {
  const deadline = Date.now() + timeoutMs;
  let states: Record<string, string> = {};
  let checks = 0;
  while (Date.now() < deadline) {
    states = await haproxy.serverStates().catch(() => ({}));
    checks++;
    const up = Object.values(states).filter((s) => s === 'UP').length;
    if (up >= count && (options.alsoRequire?.() ?? true)) return { up: true, states, checks };
    await sleep(options.intervalMs ?? 100);
  }
  return { up: false, states, checks };
}
