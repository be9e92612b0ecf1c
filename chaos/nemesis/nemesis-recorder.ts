import { toxicName } from '@imagery/history/toxic-name';
import { instanceIdentity } from '../../platform/local/fleet/instance-env';
import type { NemesisEntry, NemesisEvent } from '@imagery/history/history-entry';

/** A fleet event as the runner sees it (platform/local/session.ts's RecordedFleetEvent). */
export interface FleetEventView {
  readonly at: number;
  readonly type: 'launched' | 'healthy' | 'terminated' | 'stopped' | 'started' | 'died' | 'replaced';
  readonly instance: string;
  readonly role: string;
  readonly replacement?: string;
}

/** What GetExperiment returns of an action (the FIS SDK's ExperimentAction has these fields). */
export interface FisActionView {
  readonly actionId?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly targets?: Readonly<Record<string, string>>;
  readonly state?: { readonly status?: string; readonly reason?: string };
  readonly startTime?: Date;
  readonly endTime?: Date;
}

/** What GetExperiment returns of an experiment (the FIS SDK's Experiment has these fields). */
export interface FisExperimentView {
  readonly id?: string;
  readonly state?: { readonly status?: string; readonly reason?: string };
  readonly startTime?: Date;
  readonly endTime?: Date;
  readonly actions?: Readonly<Record<string, FisActionView>>;
}

const FINISHED = ['completed', 'stopped', 'failed', 'cancelled'];

/**
 * Turns what the runner observes of the nemesis - the fleet's events, and the FIS experiment as
 * polled through GetExperiment - into `nemesis` history entries on the one clock. FIS reports each
 * action's own start and end times, so a poll every second still places them exactly; the toxics
 * and cut proxies are derived from the actions' parameters (the simulator adds them when the
 * action starts and removes them when it ends). Derived, they say what was asked, not that it
 * happened: the proof is chaos/runner/toxiproxy-observer.ts's `observed` entries, which
 * libs/checker/src/action-effects.ts judges.
 */
export class NemesisRecorder {
  private readonly recorded: NemesisEntry[] = [];
  private readonly seenActions = new Map<string, { started: boolean; ended: boolean }>();
  private experimentStarted = false;
  private experimentEnded = false;

  constructor(private readonly now: () => number = Date.now) {}

  entries(): NemesisEntry[] {
    return [...this.recorded].sort((a, b) => a.time - b.time);
  }

  fleetEvent(e: FleetEventView): void {
    const identity = instanceIdentity(e.instance);
    const role = e.role === 'api' ? 'api' : 'worker';
    this.add(e.at, {
      kind: 'instance',
      phase: e.type,
      instance: e.instance,
      role,
      // An instance not named by the local fleet (a real EC2 id in AWS) has no slot: 0.
      slot: identity?.index ?? 0,
      generation: identity?.generation ?? 0,
      ...(e.replacement !== undefined ? { replacement: e.replacement } : {}),
    });
  }

  /** Call with each GetExperiment answer; only what changed since the last one is recorded. */
  observeExperiment(experiment: FisExperimentView | undefined): void {
    const id = experiment?.id;
    if (!experiment || !id) return;
    const status = experiment.state?.status ?? '';
    if (!this.experimentStarted && (experiment.startTime || status === 'running' || FINISHED.includes(status))) {
      this.experimentStarted = true;
      this.add(experiment.startTime?.getTime() ?? this.now(), { kind: 'fis-experiment', phase: 'start', experimentId: id, state: status });
    }
    for (const [name, action] of Object.entries(experiment.actions ?? {})) this.observeAction(id, name, action);
    if (!this.experimentEnded && FINISHED.includes(status)) {
      this.experimentEnded = true;
      this.add(experiment.endTime?.getTime() ?? this.now(), {
        kind: 'fis-experiment',
        phase: 'end',
        experimentId: id,
        state: status,
        ...(experiment.state?.reason ? { reason: experiment.state.reason } : {}),
      });
    }
  }

  private observeAction(experimentId: string, name: string, action: FisActionView): void {
    const seen = this.seenActions.get(name) ?? { started: false, ended: false };
    this.seenActions.set(name, seen);
    const status = action.state?.status ?? '';
    const common = { kind: 'fis-action' as const, experimentId, action: name, actionId: action.actionId ?? '' };
    const targets = Object.values(action.targets ?? {});
    if (!seen.started && action.startTime) {
      seen.started = true;
      const at = action.startTime.getTime();
      this.add(at, { ...common, phase: 'start', ...(targets.length ? { targets } : {}) });
      for (const event of networkFaults(experimentId, name, action, 'start')) this.add(at, event);
    }
    const ended = action.endTime !== undefined || (FINISHED.includes(status) && seen.started);
    if (seen.started && !seen.ended && ended) {
      seen.ended = true;
      const at = action.endTime?.getTime() ?? this.now();
      for (const event of networkFaults(experimentId, name, action, 'end')) this.add(at, event);
      this.add(at, { ...common, phase: 'end', state: status });
    }
  }

  private add(time: number, event: NemesisEvent): void {
    this.recorded.push({ type: 'nemesis', time, event });
  }
}

/**
 * The toxics and cut proxies an action puts in place at its start and removes at its end, read
 * from its parameters the way the simulator's actions (chaos/fis/actions) read them.
 */
export function networkFaults(experimentId: string, name: string, action: FisActionView, phase: 'start' | 'end'): NemesisEvent[] {
  const p = action.parameters ?? {};
  if (action.actionId === 'local:toxiproxy:toxic' && p.proxy && p.type) {
    return [
      {
        kind: 'toxic',
        phase: phase === 'start' ? 'added' : 'removed',
        proxy: p.proxy,
        name: toxicName(`${experimentId}/${name}`),
        toxic: p.type,
        ...(p.attributes ? { attributes: numbers(p.attributes) } : {}),
        ...(phase === 'start' ? { stream: p.stream === 'upstream' ? ('upstream' as const) : ('downstream' as const) } : {}),
        ...(phase === 'start' ? { toxicity: p.toxicity === undefined ? 1 : Number(p.toxicity) } : {}),
      },
    ];
  }
  if (action.actionId === 'aws:network:disrupt-connectivity') {
    // `proxies` (local extension) wins over `scope`; scope `all` cuts every proxy: named `*` here.
    const proxies = p.proxies
      ? p.proxies
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [p.scope && p.scope !== 'all' ? p.scope : '*'];
    return proxies.map((proxy) => ({ kind: 'proxy', phase: phase === 'start' ? 'disabled' : 'enabled', proxy }));
  }
  return [];
}

function numbers(json: string): Record<string, number> {
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number'));
  } catch {
    return {};
  }
}
