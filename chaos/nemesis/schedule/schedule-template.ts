import type { ExperimentTemplateInput, TemplateAction, TemplateStopCondition, TemplateTarget } from '../../fis/templates/template-model';
import type { ExactFault } from '../../fis/actions/local-api-exact-fault.action';
import type { ApiScheduledFault, FaultSchedule, ScheduledFault } from './fault-schedule';

/** API faults are armed this long before their recorded time: a replayed call may come a little early. */
export const ARM_LEAD_MS = 2_000;
/** API faults armed within one such window share one action (a run fires hundreds; one action each would be a huge template). */
export const ARM_WINDOW_MS = 5_000;
/**
 * How long a window's faults stay armed after the window: a replayed call comes within a few
 * seconds of its recorded time. Disarming keeps the rules an instance holds few (each push carries
 * them all, and the API takes 100 kB of JSON).
 */
export const ARM_HOLD_MS = 15_000;
/** A spot interruption's notice, when a schedule replays one (the recorded notice is not in the history). */
const SPOT_NOTICE = 'PT2M';
const ACCOUNT = '000000000000';

export interface CompileOptions {
  /** The template's Name tag (the experiment it replays or shrinks). */
  readonly name: string;
  /** The recorded experiment's stop conditions, so the compiled one stops (or not) the same way. */
  readonly stopConditions?: readonly TemplateStopCondition[];
}

/**
 * When a schedule's experiment starts, in ms into the load: one arming lead before the recorded
 * start (or at the load's start), so the faults due right at the start are armed on every instance
 * by then, as the recorded experiment's were when it fired them. (A replay started at the recorded
 * time armed them a few ms late: a call made in those ms went unfaulted and the fault moved on to a
 * later call.)
 */
export const experimentStartOf = (schedule: FaultSchedule): number => Math.max(0, schedule.startsAt - ARM_LEAD_MS);

/**
 * A fault schedule as a local FIS experiment template the simulator runs: each fault after an
 * `aws:fis:wait` for its time (times count from the experiment's start, `experimentStartOf` into the
 * load), kills pinned to their slot, API faults through `local:api:exact-fault`, toxics and cuts
 * with their windows, and a closing wait so the experiment lasts as long as the recorded one.
 */
export function scheduleToTemplate(schedule: FaultSchedule, options: CompileOptions): ExperimentTemplateInput {
  const actions: Record<string, TemplateAction> = {};
  const targets: Record<string, TemplateTarget> = {};
  const startMs = experimentStartOf(schedule);
  const endMs = Math.max(1_000, schedule.endsAt - startMs);
  const relative = (at: number) => Math.max(0, at - startMs);
  const after = (ms: number): Pick<TemplateAction, 'startAfter'> => {
    if (ms <= 0) return {};
    const name = `wait-${ms}ms`;
    actions[name] = { actionId: 'aws:fis:wait', parameters: { duration: iso(ms) } };
    return { startAfter: [name] };
  };

  for (const [i, group] of apiGroups(schedule.faults, relative).entries()) {
    targets[`role-${group.role}`] = roleTarget(group.role);
    actions[`api-${group.role}-${i + 1}`] = {
      actionId: 'local:api:exact-fault',
      description: `${group.faults.length} recorded API fault(s) on the ${group.role} role`,
      parameters: { faults: JSON.stringify(group.faults), duration: iso(ARMED_MS) },
      targets: { Roles: `role-${group.role}` },
      ...after(group.armAt),
    };
  }
  schedule.faults.forEach((fault, i) => {
    const action = otherAction(fault, targets);
    if (action) actions[`${fault.type}-${i + 1}`] = { ...action, ...after(relative(fault.at)) };
  });
  for (const idle of schedule.idleActions ?? []) {
    targets['role-api'] = roleTarget('api');
    actions[idle.action] = {
      actionId: 'local:api:exact-fault',
      description: `Recorded ${idle.actionId} that fired nothing: breaks nothing, so the replay is judged as the recording was`,
      parameters: { faults: '[]', duration: iso(ARMED_MS) },
      targets: { Roles: 'role-api' },
    };
  }
  actions['until-recorded-end'] = {
    actionId: 'aws:fis:wait',
    description: 'Lasts as long as the recorded experiment',
    parameters: { duration: iso(endMs) },
  };

  return {
    description: `Recorded fault schedule of ${options.name}: ${schedule.faults.length} fault(s)`,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/imagery-fis`,
    targets,
    actions,
    stopConditions: options.stopConditions?.length ? [...options.stopConditions] : [{ source: 'none' }],
    // A slot with no running instance at that moment (still being replaced) skips its kill: the replay reports it missing.
    experimentOptions: { emptyTargetResolutionMode: 'skip' },
    tags: { Name: options.name },
  };
}

/**
 * From its arming to the end of its window plus the hold, also past the recorded experiment's end:
 * a call the replay makes a few seconds late (an SDK retry's random backoff, a slower platform)
 * still gets its fault. Exact rules break nothing else, so the run's load keeps the recorded length
 * (planExperiment reads it from the schedule) and only the experiment's end waits for them.
 */
const ARMED_MS = ARM_WINDOW_MS + ARM_LEAD_MS + ARM_HOLD_MS;

interface ApiGroup {
  readonly role: 'api' | 'worker';
  /** When the group's faults are armed, ms after the experiment started. */
  readonly armAt: number;
  readonly faults: ExactFault[];
}

/** A slot-keyed fault applies from this long before its recorded time: a replayed poll may come a little early. */
export const SLOT_LEAD_MS = 250;

/**
 * API faults by role and arming window. A slot-keyed fault (a call no request made: a poll, a delete
 * batch) is "the slot's first such call at its recorded time": it counts the slot's calls only from
 * then (`afterMs`, SLOT_LEAD_MS early). Two recorded at about the same time fire on the slot's next
 * two calls, each on the first call the other did not take.
 */
function apiGroups(faults: readonly ScheduledFault[], relative: (at: number) => number): ApiGroup[] {
  const groups = new Map<string, ApiGroup>();
  for (const f of faults.filter((x): x is ApiScheduledFault => x.type === 'api').sort((a, b) => a.at - b.at)) {
    const armAt = Math.floor(Math.max(0, relative(f.at) - ARM_LEAD_MS) / ARM_WINDOW_MS) * ARM_WINDOW_MS;
    const key = `${f.role}@${armAt}`;
    const group = groups.get(key) ?? { role: f.role, armAt, faults: [] };
    groups.set(key, group);
    const exact: ExactFault = { service: f.service, operation: f.operation, fault: f.fault, match: f.match };
    group.faults.push(
      f.match.slot !== undefined
        ? { ...exact, match: { ...f.match, occurrence: 1 }, afterMs: Math.max(0, relative(f.at) - SLOT_LEAD_MS - armAt) }
        : exact,
    );
  }
  return [...groups.values()];
}

function otherAction(fault: ScheduledFault, targets: Record<string, TemplateTarget>): TemplateAction | undefined {
  switch (fault.type) {
    case 'api':
      return undefined;
    case 'kill':
      return killAction(fault, targets);
    case 'toxic':
      return {
        actionId: 'local:toxiproxy:toxic',
        parameters: {
          proxy: fault.proxy,
          type: fault.toxic.type,
          attributes: JSON.stringify(fault.toxic.attributes),
          ...(fault.toxic.stream ? { stream: fault.toxic.stream } : {}),
          ...(fault.toxic.toxicity !== undefined ? { toxicity: String(fault.toxic.toxicity) } : {}),
          duration: iso(Math.max(1, fault.until - fault.at)),
        },
      };
    case 'network':
      targets.subnets = {
        resourceType: 'aws:ec2:subnet',
        resourceArns: ['a', 'b'].map((az) => `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-${az}`),
        selectionMode: 'ALL',
      };
      return {
        actionId: 'aws:network:disrupt-connectivity',
        parameters: { proxies: fault.target, duration: iso(Math.max(1, fault.until - fault.at)) },
        targets: { Subnets: 'subnets' },
      };
  }
}

function killAction(fault: Extract<ScheduledFault, { type: 'kill' }>, targets: Record<string, TemplateTarget>): TemplateAction {
  const spot = fault.action === 'spot-interruption';
  const target = `${spot ? 'spot' : 'slot'}-${fault.slot}`;
  targets[target] = {
    resourceType: spot ? 'aws:ec2:spot-instance' : 'aws:ec2:instance',
    resourceTags: { Name: fault.slot },
    filters: [{ path: 'State.Name', values: ['running'] }],
    selectionMode: 'ALL',
  };
  switch (fault.action) {
    case 'terminate':
      return { actionId: 'aws:ec2:terminate-instances', targets: { Instances: target } };
    case 'reboot':
      return { actionId: 'aws:ec2:reboot-instances', targets: { Instances: target } };
    case 'stop':
      return {
        actionId: 'aws:ec2:stop-instances',
        ...(fault.until !== undefined ? { parameters: { startInstancesAfterDuration: iso(Math.max(1, fault.until - fault.at)) } } : {}),
        targets: { Instances: target },
      };
    case 'spot-interruption':
      return {
        actionId: 'aws:ec2:send-spot-instance-interruptions',
        parameters: { durationBeforeInterruption: SPOT_NOTICE },
        targets: { SpotInstances: target },
      };
  }
}

const roleTarget = (role: 'api' | 'worker'): TemplateTarget => ({
  resourceType: 'aws:iam:role',
  resourceArns: [`arn:aws:iam::${ACCOUNT}:role/${role}`],
  selectionMode: 'ALL',
});

/** ISO 8601 seconds with milliseconds (`PT12.345S`): FIS durations, at the schedule's precision. */
const iso = (ms: number) => `PT${Number((ms / 1000).toFixed(3))}S`;
