import type { HistoryEntry, NemesisEvent } from '@imagery/history/history-entry';
import { indexHistory, secondsAt } from './history-index';

/**
 * The nemesis side of the history as things that can touch an image: injected API faults (each
 * naming the client request and image it hit), and windows of time — FIS actions, toxics, proxies
 * down — or instants — instances killed, died, stopped, replaced. Built once per history.
 */
export type ApiFault = Extract<NemesisEvent, { kind: 'api-fault' }>;

export interface NemesisWindow {
  readonly kind: 'fis-action' | 'toxic' | 'proxy' | 'instance';
  readonly start: number;
  /** Equal to start for an instant; +Infinity when the history never saw it end. */
  readonly end: number;
  /** e.g. "FIS action kill-api (aws:ec2:terminate-instances) 10.0–15.0 s", "i-api-1-1 terminated at 12.2 s". */
  readonly text: string;
  /** For fis-action windows: the action's name and id. */
  readonly action?: string;
  readonly actionId?: string;
}

export interface NemesisIndex {
  readonly apiFaultsByRequest: ReadonlyMap<string, readonly { time: number; event: ApiFault }[]>;
  readonly apiFaultsByImage: ReadonlyMap<string, readonly { time: number; event: ApiFault }[]>;
  readonly windows: readonly NemesisWindow[];
}

const KILLS = new Set(['terminated', 'died', 'stopped', 'replaced']);
const cache = new WeakMap<readonly HistoryEntry[], NemesisIndex>();

export function indexNemesis(history: readonly HistoryEntry[]): NemesisIndex {
  let index = cache.get(history);
  if (!index) cache.set(history, (index = build(history)));
  return index;
}

function build(history: readonly HistoryEntry[]): NemesisIndex {
  const { nemesis, origin } = indexHistory(history);
  const at = (t: number) => secondsAt(t, origin);
  const span = (s: number, e: number) => `${at(s).replace(' s', '')}–${Number.isFinite(e) ? at(e) : 'end'}`;
  const byRequest = new Map<string, { time: number; event: ApiFault }[]>();
  const byImage = new Map<string, { time: number; event: ApiFault }[]>();
  const windows: NemesisWindow[] = [];
  const open = new Map<string, { start: number; event: NemesisEvent }>();
  const push = <K>(map: Map<K, { time: number; event: ApiFault }[]>, key: K, value: { time: number; event: ApiFault }) =>
    map.set(key, [...(map.get(key) ?? []), value]);

  const close = (key: string, end: number) => {
    const started = open.get(key);
    if (!started) return;
    open.delete(key);
    const window = windowOf(started, end, span);
    if (window) windows.push(window);
  };

  for (const { time, event: e } of nemesis) {
    switch (e.kind) {
      case 'api-fault':
        if (e.requestId) push(byRequest, e.requestId, { time, event: e });
        if (e.imageId) push(byImage, e.imageId, { time, event: e });
        break;
      case 'fis-action': {
        const key = `fis|${e.experimentId}|${e.action}`;
        if (e.phase === 'start') open.set(key, { start: time, event: e });
        else close(key, time);
        break;
      }
      case 'toxic': {
        const key = `toxic|${e.proxy}|${e.name}`;
        // `observed` (what Toxiproxy showed in place) neither opens nor closes the window the action set.
        if (e.phase === 'added') open.set(key, { start: time, event: e });
        else if (e.phase === 'removed') close(key, time);
        break;
      }
      case 'proxy': {
        const key = `proxy|${e.proxy}`;
        if (e.phase === 'disabled') open.set(key, { start: time, event: e });
        else if (e.phase === 'enabled') close(key, time);
        break;
      }
      case 'instance':
        if (KILLS.has(e.phase)) {
          const what =
            e.phase === 'replaced' ? `${e.instance} replaced${e.replacement ? ` by ${e.replacement}` : ''}` : `${e.instance} ${e.phase}`;
          windows.push({ kind: 'instance', start: time, end: time, text: `${what} at ${at(time)}` });
        }
        break;
      default:
        break;
    }
  }
  for (const key of [...open.keys()]) close(key, Number.POSITIVE_INFINITY);
  windows.sort((a, b) => a.start - b.start);
  return { apiFaultsByRequest: byRequest, apiFaultsByImage: byImage, windows };
}

/** The window an opened FIS action, toxic or proxy cut spans once it ends; `span` words its start and end. */
function windowOf(
  started: { readonly start: number; readonly event: NemesisEvent },
  end: number,
  span: (start: number, end: number) => string,
): NemesisWindow | undefined {
  const { start, event: e } = started;
  switch (e.kind) {
    case 'fis-action':
      return {
        kind: 'fis-action',
        start,
        end,
        action: e.action,
        actionId: e.actionId,
        text: `FIS action ${e.action} (${e.actionId}) ${span(start, end)}`,
      };
    case 'toxic':
      return { kind: 'toxic', start, end, text: `toxic ${e.toxic} on ${e.proxy} ${span(start, end)}` };
    case 'proxy':
      return { kind: 'proxy', start, end, text: `proxy ${e.proxy} down ${span(start, end)}` };
    default:
      return undefined;
  }
}

/** "crash after UpdateItem on i-api-1-1 at 12.2 s", "SendMessage internal-error on i-api-2-1 at 3.0 s". */
export function describeApiFault(e: ApiFault, time: number, origin: number): string {
  const what = e.fault === 'crash' ? `crash ${e.when ?? 'at'} ${e.operation}` : `${e.operation} ${e.fault}`;
  return `${what} on ${e.instance} at ${secondsAt(time, origin)}`;
}
