import { instanceIdentity } from '../../platform/local/fleet/instance-env';
import type { HistoryEntry, NemesisEntry, NemesisEvent } from '@imagery/history/history-entry';

type ApiFault = Extract<NemesisEvent, { kind: 'api-fault' }>;
type InstanceEvent = Extract<NemesisEvent, { kind: 'instance' }>;

/** The faults one rule injected on one launch of one slot: which of its matched calls got which fault. */
export interface RuleFaults {
  /** `worker-2` (or the instance id when it is not a fleet slot's). */
  readonly slot: string;
  readonly generation: number;
  readonly rule: string;
  /** Ascending call indices (1-based among the calls the rule matched on that instance). */
  readonly calls: readonly { readonly call: number; readonly operation: string; readonly fault: string }[];
}

/** An instance ended or frozen by the nemesis, in order. */
export interface Kill {
  readonly slot: string;
  readonly generation: number;
  readonly how: 'terminated' | 'died' | 'stopped';
  /** The FIS action running when it was terminated or stopped; for a death, the crash fault that caused it. */
  readonly cause?: string;
}

/**
 * Which call of which instance got which fault, and which instance was killed in which order - in
 * terms that do not depend on wall-clock time, so two runs can be compared.
 */
export interface FaultSchedule {
  readonly apiFaults: readonly RuleFaults[];
  readonly kills: readonly Kill[];
}

export function faultSchedule(history: readonly HistoryEntry[]): FaultSchedule {
  const nemesis = history.filter((e): e is NemesisEntry => e.type === 'nemesis').sort((a, b) => a.time - b.time);
  const byKey = new Map<string, { slot: string; generation: number; rule: string; calls: RuleFaults['calls'][number][] }>();
  const lastCrash = new Map<string, ApiFault>();
  for (const { event } of nemesis) {
    if (event.kind !== 'api-fault') continue;
    const slot = slotOf(event.instance);
    const key = `${slot}\u0000${event.generation}\u0000${event.rule}`;
    const entry = byKey.get(key) ?? { slot, generation: event.generation, rule: event.rule, calls: [] };
    entry.calls.push({ call: event.call, operation: event.operation, fault: event.when ? `${event.fault} ${event.when}` : event.fault });
    byKey.set(key, entry);
    if (event.fault === 'crash') lastCrash.set(event.instance, event);
  }
  const apiFaults = [...byKey.values()]
    .map((r) => ({ ...r, calls: [...r.calls].sort((a, b) => a.call - b.call) }))
    .sort((a, b) => compareKeys(a, b));

  const actions = fisActionWindows(nemesis);
  const kills: Kill[] = [];
  for (const { time, event } of nemesis) {
    if (event.kind !== 'instance' || (event.phase !== 'terminated' && event.phase !== 'died' && event.phase !== 'stopped')) continue;
    kills.push({
      slot: slotOf(event.instance),
      generation: event.generation,
      how: event.phase,
      ...causeOf(event, time, actions, lastCrash),
    });
  }
  return { apiFaults, kills };
}

export interface ScheduleComparison {
  /** No call got a different fault in the two runs, the same rules fired on the same instances, and the kills came in the same order. */
  readonly matched: boolean;
  /** Not only matched: exactly the same faulted calls (the runs also made as many calls). */
  readonly identical: boolean;
  /** Why they do not match, most important first (the first is the first difference). */
  readonly differences: readonly string[];
  /** Differences that do not break the match: one run made more calls, so its schedule goes on further. */
  readonly notes: readonly string[];
}

/**
 * Compares two schedules. What a seed fixes is the decision for a given call of a given launch;
 * how many calls each launch makes, and how launches of different slots interleave, depend on
 * timing, which no seed fixes. So:
 * - the same rules must fire (a rule id carries the FIS experiment's seed);
 * - per (slot, generation, rule), the faulted calls must agree up to the last call both runs are
 *   known to have reached (the smaller of the two last faulted calls); beyond it one run simply
 *   went on longer, and a launch that faulted in one run only (it made fewer calls, or was never
 *   launched, in the other) is a note;
 * - per slot, the kills must come in the same order with the same cause (which generation was
 *   terminated by which action, or crashed at which call); more crash deaths in one run is a note.
 */
export function compareSchedules(a: FaultSchedule, b: FaultSchedule): ScheduleComparison {
  const found: Findings = { differences: [], notes: [] };
  compareRules(a, b, found);
  compareFaultedCalls(a, b, found);
  compareKills(a, b, found);
  const { differences, notes } = found;
  return { matched: differences.length === 0, identical: differences.length === 0 && notes.length === 0, differences, notes };
}

/** What a comparison step found: differences (the replay failed) and notes (explained by timing). */
interface Findings {
  readonly differences: string[];
  readonly notes: string[];
}

const rulesOf = (s: FaultSchedule) => new Set(s.apiFaults.map((r) => r.rule));

/** The same rules must fire in both runs. */
function compareRules(a: FaultSchedule, b: FaultSchedule, found: Findings): void {
  const [rulesA, rulesB] = [rulesOf(a), rulesOf(b)];
  for (const [mine, theirs, run, schedule] of [
    [rulesA, rulesB, 'A', a],
    [rulesB, rulesA, 'B', b],
  ] as const) {
    for (const rule of [...mine].filter((r) => !theirs.has(r)).sort()) {
      const first = schedule.apiFaults.find((r) => r.rule === rule)!;
      const where = `${first.slot} generation ${first.generation}, call ${first.calls[0].call}: ${describeCall(first.calls[0])}`;
      found.differences.push(`rule ${rule} fired only in run ${run} (first on ${where})`);
    }
  }
}

/** Per (slot, generation, rule): the same faulted calls up to the last call both runs reached. */
function compareFaultedCalls(a: FaultSchedule, b: FaultSchedule, found: Findings): void {
  const [rulesA, rulesB] = [rulesOf(a), rulesOf(b)];
  const keyOf = (r: RuleFaults) => `${r.slot} generation ${r.generation}, rule ${r.rule}`;
  const mapA = new Map(a.apiFaults.map((r) => [keyOf(r), r]));
  const mapB = new Map(b.apiFaults.map((r) => [keyOf(r), r]));
  for (const key of [...new Set([...mapA.keys(), ...mapB.keys()])].sort()) {
    const ra = mapA.get(key);
    const rb = mapB.get(key);
    if (!ra || !rb) {
      const only = (ra ?? rb)!;
      if (rulesA.has(only.rule) && rulesB.has(only.rule))
        found.notes.push(
          `${key}: faults only in run ${ra ? 'A' : 'B'} (from call ${only.calls[0].call}); ` +
            "the other run's launch made fewer calls or did not exist",
        );
      continue;
    }
    compareLaunch(key, ra, rb, found);
  }
}

function compareLaunch(key: string, ra: RuleFaults, rb: RuleFaults, found: Findings): void {
  const horizon = Math.min(ra.calls[ra.calls.length - 1].call, rb.calls[rb.calls.length - 1].call);
  const within = (r: RuleFaults) => r.calls.filter((c) => c.call <= horizon);
  const [wa, wb] = [within(ra), within(rb)];
  const firstDiff = wa.findIndex((c, i) => !sameCall(c, wb[i]));
  const at = firstDiff >= 0 ? firstDiff : wa.length !== wb.length ? Math.min(wa.length, wb.length) : -1;
  if (at >= 0) {
    found.differences.push(`${key}: run A ${describe(wa[at])}, run B ${describe(wb[at])}`);
    return;
  }
  if (ra.calls.length !== rb.calls.length) {
    const longer = ra.calls.length > rb.calls.length ? 'A' : 'B';
    const more = Math.abs(ra.calls.length - rb.calls.length);
    found.notes.push(`${key}: the same faults up to call ${horizon}; run ${longer} went on to more (${more} more faulted calls)`);
  }
}

/** Per slot: the kills in the same order with the same cause; more crash deaths in one run is a note. */
function compareKills(a: FaultSchedule, b: FaultSchedule, found: Findings): void {
  const slots = [...new Set([...a.kills, ...b.kills].map((k) => k.slot))].sort();
  for (const slot of slots) {
    const [ka, kb] = [a.kills.filter((k) => k.slot === slot), b.kills.filter((k) => k.slot === slot)];
    const common = Math.min(ka.length, kb.length);
    const i = ka.slice(0, common).findIndex((k, j) => !sameKill(k, kb[j]));
    if (i >= 0) {
      found.differences.push(`${slot}, kill ${i + 1}: run A ${describeKill(ka[i])}, run B ${describeKill(kb[i])}`);
      continue;
    }
    const [longer, run] = ka.length > kb.length ? [ka, 'A'] : [kb, 'B'];
    const extra = longer.slice(common);
    if (extra.length === 0) continue;
    const line = `${slot}: run ${run} has ${extra.length} more kill(s), first ${describeKill(extra[0])}`;
    // A later crash is a launch that went on to its crashing call; a termination is the nemesis choosing otherwise.
    if (extra.every((k) => k.how === 'died' && k.cause?.startsWith('crash'))) found.notes.push(line);
    else found.differences.push(line);
  }
}

/** The one-line answer a replay prints. */
export function formatComparison(c: ScheduleComparison): string {
  const head = c.identical ? 'fault schedule: identical' : c.matched ? 'fault schedule: matched' : 'fault schedule: DIFFERENT';
  return [head, ...c.differences.map((d) => `  differs: ${d}`), ...c.notes.map((n) => `  note: ${n}`)].join('\n');
}

type Window = { readonly name: string; readonly actionId: string; readonly start: number; end?: number };

function fisActionWindows(nemesis: readonly NemesisEntry[]): Window[] {
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

function causeOf(event: InstanceEvent, time: number, actions: readonly Window[], crashes: Map<string, ApiFault>): { cause?: string } {
  if (event.phase === 'died') {
    const crash = crashes.get(event.instance);
    return crash
      ? { cause: `crash ${crash.when ?? ''} ${crash.operation} (rule ${crash.rule}, call ${crash.call})`.replace(/ {2}/g, ' ') }
      : {};
  }
  // The process ends some time after FIS's call (SIGTERM, drain): the action that acts on instances, running or just ended.
  const slack = 35_000;
  const action = actions
    .filter((w) => w.actionId.startsWith('aws:ec2:') && w.start <= time && time <= (w.end ?? Infinity) + slack)
    .sort((x, y) => y.start - x.start)[0];
  return action ? { cause: action.name } : {};
}

function slotOf(instance: string): string {
  return instanceIdentity(instance)?.slot ?? instance;
}

function compareKeys(a: RuleFaults, b: RuleFaults): number {
  return a.slot.localeCompare(b.slot) || a.generation - b.generation || a.rule.localeCompare(b.rule);
}

const sameCall = (x: RuleFaults['calls'][number], y: RuleFaults['calls'][number] | undefined) =>
  y !== undefined && x.call === y.call && x.operation === y.operation && x.fault === y.fault;
const sameKill = (x: Kill, y: Kill) => x.slot === y.slot && x.generation === y.generation && x.how === y.how && x.cause === y.cause;
const describeCall = (c: RuleFaults['calls'][number]) => `${c.operation} ${c.fault}`;
const describe = (c: RuleFaults['calls'][number] | undefined) => (c ? `faulted call ${c.call} (${describeCall(c)})` : 'no further fault');
const describeKill = (k: Kill) => `${k.slot} generation ${k.generation} ${k.how}${k.cause ? ` (${k.cause})` : ''}`;
