import type { FaultSpec } from '@imagery/aws-adapters/faults/fault-rule';
import type { HistoryEntry, NemesisEntry, NemesisEvent } from '@imagery/history/history-entry';
import { instanceIdentity } from '../../../platform/local/fleet/instance-env';
import type { FaultSchedule, ScheduledFault } from './fault-schedule';

type ApiFaultEvent = Extract<NemesisEvent, { kind: 'api-fault' }>;
type KillAction = Extract<ScheduledFault, { type: 'kill' }>['action'];

/** The FIS actions that kill instances, and what a schedule calls each. */
const KILL_ACTIONS: Readonly<Record<string, KillAction>> = {
  'aws:ec2:terminate-instances': 'terminate',
  'aws:ec2:stop-instances': 'stop',
  'aws:ec2:reboot-instances': 'reboot',
  'aws:ec2:send-spot-instance-interruptions': 'spot-interruption',
};

/** An instance ends some time after FIS's call (SIGTERM, drain, a spot notice): the action running, or just ended. */
const KILL_SLACK_MS = 35_000;

/**
 * The faults a run actually fired, read from its history, as a schedule that executes them again:
 * every API fault an instance injected (keyed by its request context and occurrence, or its slot
 * when it had none), every instance a FIS action killed (by slot), every toxic and cut proxy with
 * its window. Times are ms since the workload started.
 */
export function firedFaults(history: readonly HistoryEntry[]): FaultSchedule {
  const loadStart = history.find((e) => e.type === 'workload' && e.phase === 'start')?.time ?? Math.min(...history.map((e) => e.time));
  const nemesis = history.filter((e): e is NemesisEntry => e.type === 'nemesis').sort((a, b) => a.time - b.time);
  const since = (time: number) => Math.max(0, Math.round(time - loadStart));
  const faults: ScheduledFault[] = [
    ...nemesis.flatMap(({ time, event }) => (event.kind === 'api-fault' ? [apiFault(event, since(time))] : [])),
    ...kills(nemesis, since),
    ...toxics(nemesis, since),
    ...networkCuts(nemesis, since),
  ].sort((a, b) => a.at - b.at);
  const experiment = (phase: 'start' | 'end') => nemesis.find((e) => e.event.kind === 'fis-experiment' && e.event.phase === phase)?.time;
  const startsAt = since(experiment('start') ?? loadStart + (faults[0]?.at ?? 0));
  const lastAt = Math.max(startsAt, ...faults.map((f) => ('until' in f && f.until !== undefined ? f.until : f.at)));
  const end = experiment('end');
  return { startsAt, endsAt: end !== undefined ? Math.max(since(end), lastAt) : lastAt, faults };
}

function apiFault(e: ApiFaultEvent, at: number): ScheduledFault {
  const identity = instanceIdentity(e.instance);
  const role = identity?.role ?? (e.instance.includes('worker') ? 'worker' : 'api');
  const occurrence = e.occurrence ?? 1;
  const inRequest = e.requestId !== undefined || e.imageId !== undefined;
  return {
    type: 'api',
    at,
    role,
    service: e.service,
    operation: e.operation,
    fault: specOf(e),
    match: inRequest
      ? {
          ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
          ...(e.imageId !== undefined ? { imageId: e.imageId } : {}),
          occurrence,
        }
      : { slot: identity?.slot ?? e.instance, occurrence: 1 },
  };
}

function specOf(e: ApiFaultEvent): FaultSpec {
  switch (e.fault) {
    case 'crash':
      return { kind: 'crash', when: e.when ?? 'before' };
    case 'latency':
      return { kind: 'latency', ms: e.latency?.ms ?? 0, jitterMs: e.latency?.jitterMs ?? 0 };
    case 'internal-error':
    case 'unavailable':
    case 'throttle':
    case 'ambiguous':
      return { kind: e.fault };
    default:
      throw new Error(`the history names an unknown API fault kind "${e.fault}"`);
  }
}

interface Window {
  readonly name: string;
  readonly actionId: string;
  readonly start: number;
  end?: number;
}

function actionWindows(nemesis: readonly NemesisEntry[]): Window[] {
  const windows: Window[] = [];
  for (const { time, event } of nemesis) {
    if (event.kind !== 'fis-action') continue;
    if (event.phase === 'start') windows.push({ name: event.action, actionId: event.actionId, start: time });
    else {
      const open = windows.find((w) => w.name === event.action && w.end === undefined);
      if (open) open.end = time;
    }
  }
  return windows;
}

/** One kill per slot per killing action, at the action's start (when the nemesis acted; the process ends later). */
function kills(nemesis: readonly NemesisEntry[], since: (t: number) => number): ScheduledFault[] {
  const windows = actionWindows(nemesis).filter((w) => KILL_ACTIONS[w.actionId]);
  const found = new Map<string, Extract<ScheduledFault, { type: 'kill' }>>();
  const crashed = new Set(nemesis.flatMap((e) => (e.event.kind === 'api-fault' && e.event.fault === 'crash' ? [e.event.instance] : [])));
  for (const { time, event } of nemesis) {
    if (event.kind !== 'instance' || !['terminated', 'stopped', 'died'].includes(event.phase)) continue;
    // A death is a kill only as a spot interruption's end (the instance drains and exits by itself); a crash fault's is that fault's.
    const window = windows
      .filter((w) => w.start <= time && time <= (w.end ?? Infinity) + KILL_SLACK_MS)
      .filter((w) => event.phase !== 'died' || (KILL_ACTIONS[w.actionId] === 'spot-interruption' && !crashed.has(event.instance)))
      .sort((x, y) => y.start - x.start)[0];
    if (!window) continue; // the fleet's own, or a crash fault's: not a kill the nemesis made
    const slot = instanceIdentity(event.instance)?.slot ?? event.instance;
    const key = `${window.name}\u0000${slot}`;
    if (found.has(key)) continue;
    const action = KILL_ACTIONS[window.actionId];
    const restarted = action === 'stop' ? startedAfter(nemesis, event.instance, time) : undefined;
    found.set(key, {
      type: 'kill',
      at: since(window.start),
      slot,
      action,
      ...(restarted !== undefined ? { until: since(restarted) } : {}),
    });
  }
  return [...found.values()];
}

const startedAfter = (nemesis: readonly NemesisEntry[], instance: string, time: number) =>
  nemesis.find((e) => e.time >= time && e.event.kind === 'instance' && e.event.phase === 'started' && e.event.instance === instance)?.time;

/** Each toxic from its `added` to its `removed` entry (the run's end if it was never removed). */
function toxics(nemesis: readonly NemesisEntry[], since: (t: number) => number): ScheduledFault[] {
  const end = nemesis[nemesis.length - 1]?.time ?? 0;
  return nemesis.flatMap(({ time, event }) => {
    if (event.kind !== 'toxic' || event.phase !== 'added') return [];
    const removed = nemesis.find(
      (e) => e.time >= time && e.event.kind === 'toxic' && e.event.phase === 'removed' && e.event.name === event.name,
    );
    const toxic = {
      type: event.toxic,
      ...(event.stream ? { stream: event.stream } : {}),
      ...(event.toxicity !== undefined ? { toxicity: event.toxicity } : {}),
      attributes: { ...event.attributes },
    };
    return [{ type: 'toxic' as const, at: since(time), until: since(removed?.time ?? end), proxy: event.proxy, toxic }];
  });
}

/**
 * Each cut proxy from `disabled` to `enabled`. A cut asked by scope (`*`: the targets' whole zone)
 * is named by the proxies Toxiproxy showed cut meanwhile, so a replay cuts exactly those.
 */
function networkCuts(nemesis: readonly NemesisEntry[], since: (t: number) => number): ScheduledFault[] {
  const end = nemesis[nemesis.length - 1]?.time ?? 0;
  return nemesis.flatMap(({ time, event }) => {
    if (event.kind !== 'proxy' || event.phase !== 'disabled') return [];
    const until =
      nemesis.find((e) => e.time >= time && e.event.kind === 'proxy' && e.event.phase === 'enabled' && e.event.proxy === event.proxy)
        ?.time ?? end;
    const targets =
      event.proxy === '*'
        ? [
            ...new Set(
              nemesis.flatMap((e) =>
                e.time >= time && e.time <= until && e.event.kind === 'proxy' && e.event.phase === 'observed-disabled'
                  ? [e.event.proxy]
                  : [],
              ),
            ),
          ]
        : [event.proxy];
    return targets.map((target) => ({ type: 'network' as const, at: since(time), until: since(until), target }));
  });
}
