import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { round2 } from '@imagery/kernel/stats';
import { Stalls, watchStalls } from './stall-watch';

/**
 * Where the CPU went during a phase (Linux /proc): CPU time of this process and of every process
 * it started (moto, Toxiproxy, HAProxy, the API and worker instances), grouped by role, beside
 * the whole machine's busy time — on a shared machine the difference is somebody else's load.
 */
export type Role = 'moto' | 'toxiproxy' | 'haproxy' | 'api' | 'worker' | 'bench' | 'other';
export const ROLES: readonly Role[] = ['api', 'worker', 'moto', 'haproxy', 'toxiproxy', 'bench', 'other'];

interface Snapshot {
  readonly at: number;
  /** CPU seconds per live descendant pid (and this process). */
  readonly byPid: Map<number, { role: Role; seconds: number }>;
  /** Machine-wide jiffies (/proc/stat). */
  readonly machine?: MachineTimes;
}

export interface CpuUsage {
  readonly wallSeconds: number;
  readonly cores: number;
  /** CPU seconds per role over the phase. */
  readonly seconds: Readonly<Record<Role, number>>;
  /** Per role: percent of ONE core (100 = one core busy for the whole phase). */
  readonly percentOfCore: Readonly<Record<Role, number>>;
  /** Everything we started, as percent of the whole machine (all cores). */
  readonly oursPercentOfMachine: number;
  /** The machine's busy time as percent of all cores (ours + everyone else's, stolen time included). */
  readonly machineBusyPercent?: number;
  /**
   * Of that, the time the hypervisor ran other guests while this machine had work (/proc/stat's
   * steal), % of all cores: no process here shows it, yet every figure of the phase is slowed by it.
   */
  readonly machineStolenPercent?: number;
  /** Gaps of seconds in this process's clock meanwhile: the machine stood still (stall-watch.ts). */
  readonly stalls: Stalls;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** pid -> [ppid, utime + stime in ticks] for every readable process. */
function readStats(): Map<number, { ppid: number; ticks: number }> {
  const out = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // after "(comm)": state ppid pgrp ... utime(14th field overall) stime(15th)
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export function roleOf(pid: number): Role {
  if (pid === process.pid) return 'bench';
  let cmd: string;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return 'other';
  }
  if (cmd.includes('moto_server')) return 'moto';
  if (cmd.includes('toxiproxy')) return 'toxiproxy';
  if (cmd.includes('haproxy')) return 'haproxy';
  if (cmd.includes('apps/api/')) return 'api';
  if (cmd.includes('apps/worker/')) return 'worker';
  return 'other';
}

const roleCache = new Map<number, Role>();

function snapshot(): Snapshot {
  const stats = readStats();
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const byPid = new Map<number, { role: Role; seconds: number }>();
  const queue = [process.pid];
  while (queue.length) {
    const pid = queue.pop()!;
    const stat = stats.get(pid);
    if (stat) {
      let role = roleCache.get(pid);
      if (!role || role === 'other') roleCache.set(pid, (role = roleOf(pid))); // a shim exec's its program: look again
      byPid.set(pid, { role, seconds: stat.ticks / clockTicks() });
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return { at: performance.now(), byPid, machine: readMachine() };
}

/** Busy (stolen included), stolen and total jiffies of all cores. */
export interface MachineTimes {
  readonly busy: number;
  readonly stolen: number;
  readonly total: number;
}

/** /proc/stat's first line: cpu user nice system idle iowait irq softirq steal guest guest_nice. */
export function machineTimesOf(cpuLine: string): MachineTimes {
  const v = cpuLine.trim().split(/\s+/).slice(1, 9).map(Number); // guest time is already counted in user
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  return { busy: total - idle, stolen: v[7] ?? 0, total };
}

function readMachine(): MachineTimes | undefined {
  try {
    return machineTimesOf(readFileSync('/proc/stat', 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

/**
 * Starts measuring; `stop()` returns the usage since. Processes started meanwhile count from 0;
 * processes are re-read every `sampleMs`, so one that ends before `stop()` (a killed instance)
 * still counts up to its last reading.
 */
export function measureCpu(sampleMs = 1_000): { stop(): CpuUsage } {
  const start = snapshot();
  const last = new Map(start.byPid);
  const remember = (s: Snapshot) => s.byPid.forEach((v, pid) => last.set(pid, v));
  const timer = setInterval(() => remember(snapshot()), sampleMs);
  timer.unref();
  const stalls = watchStalls();
  return {
    stop: () => {
      clearInterval(timer);
      const end = snapshot();
      remember(end);
      const wallSeconds = (end.at - start.at) / 1000;
      const cores = cpus().length;
      const seconds = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
      for (const [pid, now] of last) seconds[now.role] += Math.max(0, now.seconds - (start.byPid.get(pid)?.seconds ?? 0));
      const percentOfCore = Object.fromEntries(
        ROLES.map((r) => [r, wallSeconds > 0 ? round((100 * seconds[r]) / wallSeconds) : 0]),
      ) as Record<Role, number>;
      const ours = Object.values(seconds).reduce((a, b) => a + b, 0);
      const machineShare = (of: keyof MachineTimes): number | undefined =>
        start.machine && end.machine && end.machine.total > start.machine.total
          ? (100 * (end.machine[of] - start.machine[of])) / (end.machine.total - start.machine.total)
          : undefined;
      const machine = machineShare('busy');
      const stolen = machineShare('stolen');
      return {
        wallSeconds: round(wallSeconds),
        cores,
        // to the clock tick (10 ms): a short idle window's few hundred core-ms stay readable
        seconds: Object.fromEntries(ROLES.map((r) => [r, round2(seconds[r])])) as Record<Role, number>,
        percentOfCore,
        oursPercentOfMachine: wallSeconds > 0 ? round((100 * ours) / (wallSeconds * cores)) : 0,
        ...(machine !== undefined ? { machineBusyPercent: round(machine) } : {}),
        ...(stolen !== undefined ? { machineStolenPercent: round(stolen) } : {}),
        stalls: stalls.stop(),
      };
    },
  };
}

const round = (v: number): number => Math.round(v * 10) / 10;
