import { toxicName } from '@imagery/history/toxic-name';
import type { HistoryEntry, NemesisEntry, NemesisEvent } from '@imagery/history/history-entry';

/**
 * Did the faults fire? A FIS experiment that `completed` only says its actions ran; an action whose
 * targets matched nothing, whose rule no instance applied or whose toxic never reached Toxiproxy
 * completes just as well, and a verdict over it would be a chaos verdict with no chaos. From the
 * history alone, per fault action, "fired" means:
 *  - api: an `api-fault` entry whose rule names the action (`fis/<action>/seed-<seed>`, see
 *    chaos/fis/actions/api-fault-action.ts, or an exact fault's `exact/<action>/<n>`); a rule naming
 *    no action counts by time window;
 *  - instance: an instance terminated, stopped or died within the action's window (+2 s);
 *  - network: a toxic of the action (named `toxicName(<experiment>/<action>)`) observed in place in
 *    Toxiproxy, or, for a connectivity cut (which names no toxic), a proxy observed disabled within
 *    the window. The recorder's `added`/`disabled` entries are read from the parameters: no proof.
 * Wait, assert-alarm-state and capacity errors (which matter only when a launch happens) have no
 * effect of their own to observe: not listed.
 */
export type ActionEffectKind = 'api' | 'instance' | 'network';

export interface ActionEffect {
  /** The action's name in the template, and its FIS action id. */
  readonly action: string;
  readonly actionId: string;
  readonly kind: ActionEffectKind;
  /** How many effects of it the history shows (0: it had none). */
  readonly fired: number;
}

const KINDS: Readonly<Record<string, ActionEffectKind>> = {
  'aws:fis:inject-api-internal-error': 'api',
  'aws:fis:inject-api-unavailable-error': 'api',
  'aws:fis:inject-api-throttle-error': 'api',
  'local:api:ambiguous': 'api',
  'local:process:crash-at': 'api',
  'local:api:exact-fault': 'api',
  'aws:ec2:terminate-instances': 'instance',
  'aws:ec2:stop-instances': 'instance',
  'aws:ec2:reboot-instances': 'instance',
  'aws:ec2:send-spot-instance-interruptions': 'instance',
  'local:toxiproxy:toxic': 'network',
  'aws:network:disrupt-connectivity': 'network',
  'aws:ssm:send-command': 'network',
};

/** The kind of effect an action id's fault has; undefined for actions with no effect to observe. */
export const actionEffectKindOf = (actionId: string): ActionEffectKind | undefined => KINDS[actionId];

/** An effect seen up to this long after the action's end is still its (fleet events and polls lag). */
const SLACK_MS = 2_000;
const KILLS: ReadonlySet<string> = new Set(['terminated', 'stopped', 'died']);
const RULE = /^(?:fis\/(.+)\/seed-[^/]*|exact\/(.+)\/\d+)$/;

interface Window {
  readonly experimentId: string;
  readonly action: string;
  readonly actionId: string;
  readonly kind: ActionEffectKind;
  readonly start: number;
  end: number;
}

type Event<K extends NemesisEvent['kind']> = { readonly time: number; readonly event: Extract<NemesisEvent, { kind: K }> };

export function actionEffects(history: readonly HistoryEntry[]): ActionEffect[] {
  const nemesis = history.filter((e): e is NemesisEntry => e.type === 'nemesis');
  const of = <K extends NemesisEvent['kind']>(kind: K) => nemesis.filter((n): n is NemesisEntry & Event<K> => n.event.kind === kind);
  const windows = actionWindows(of('fis-action'));
  const apiFaults = of('api-fault');
  const instances = of('instance').filter((n) => KILLS.has(n.event.phase));
  const toxics = of('toxic').filter((n) => n.event.phase === 'observed');
  const cuts = of('proxy').filter((n) => n.event.phase === 'observed-disabled');
  const within = (w: Window, time: number) => time >= w.start && time <= w.end + SLACK_MS;

  return windows.map((w) => {
    let fired: number;
    if (w.kind === 'api') {
      fired = apiFaults.filter((n) => {
        const match = RULE.exec(n.event.rule);
        const named = match?.[1] ?? match?.[2];
        return named !== undefined ? named === w.action : within(w, n.time);
      }).length;
    } else if (w.kind === 'instance') {
      fired = instances.filter((n) => within(w, n.time)).length;
    } else if (w.actionId === 'aws:network:disrupt-connectivity') {
      fired = cuts.filter((n) => within(w, n.time)).length;
    } else {
      const name = toxicName(`${w.experimentId}/${w.action}`);
      fired = toxics.filter((n) => n.event.name === name).length;
    }
    return { action: w.action, actionId: w.actionId, kind: w.kind, fired };
  });
}

/** Each fault action's window, start to end (no end: to the end of time), in order of start. */
function actionWindows(actions: readonly Event<'fis-action'>[]): Window[] {
  const windows: Window[] = [];
  const open = new Map<string, Window>();
  for (const { time, event: e } of actions) {
    const key = `${e.experimentId}|${e.action}`;
    const kind = actionEffectKindOf(e.actionId);
    if (e.phase === 'start' && kind) {
      const w: Window = { experimentId: e.experimentId, action: e.action, actionId: e.actionId, kind, start: time, end: Infinity };
      windows.push(w);
      open.set(key, w);
    } else if (e.phase === 'end') {
      const w = open.get(key);
      if (w) w.end = time;
      open.delete(key);
    }
  }
  return windows;
}
