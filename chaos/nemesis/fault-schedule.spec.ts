import { FaultInjector, type FaultRule, faultRuleSchema, openFaultLog } from '@imagery/aws-adapters';
import type { HttpHandler, HttpRequest } from '@smithy/core/protocols';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetSlot } from '../../platform/local/fleet/fleet-slot';
import { FAULT_LOG_DIR_ENV, instanceEnv } from '../../platform/local/fleet/instance-env';
import { readFaultLogs } from './fault-logs';
import { FaultSchedule, compareSchedules, faultSchedule, formatComparison } from './fault-schedule';
import type { HistoryEntry } from '@imagery/history/history-entry';
import { mergeByTime } from '@imagery/history/merge-by-time';
import { NemesisRecorder } from './nemesis-recorder';

const WORKER_2: FleetSlot = { role: 'worker', index: 2, name: 'worker-2', az: 'b', port: 1 };
const API_1: FleetSlot = { role: 'api', index: 1, name: 'api-1', az: 'a', port: 2 };
const request = (op: string) =>
  ({
    method: 'POST',
    hostname: '127.0.0.1',
    path: '/',
    headers: { 'x-amz-target': `DynamoDB_20120810.${op}` },
    query: {},
  }) as unknown as HttpRequest;
const realService = { handle: () => Promise.resolve({ response: { statusCode: 200, headers: {} } }) } as unknown as HttpHandler;

/**
 * One simulated run with `seed`: each launch gets the environment the fleet gives it
 * (instance-env), builds its injector and fault log from that environment as the apps do, and
 * makes the same sequence of calls. worker-2 crashes at its 40th PutItem (`nth` counts per
 * instance) and is replaced (generation 1), which makes the same calls again.
 */
async function simulatedRun(seed: number): Promise<{ schedule: FaultSchedule; history: HistoryEntry[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'schedule-'));
  let now = 1_000;
  const clock = () => now++;
  const recorder = new NemesisRecorder(clock);
  const rules = [
    faultRuleSchema.parse({
      id: 'fis/updates/seed-x',
      service: 'dynamodb',
      operations: ['UpdateItem'],
      percentage: 20,
      fault: { kind: 'internal-error' },
    }),
    faultRuleSchema.parse({
      id: 'fis/crash/seed-x',
      service: 'dynamodb',
      operations: ['PutItem'],
      nth: 40,
      fault: { kind: 'crash', when: 'after' },
    }),
  ];
  const launch = async (slot: FleetSlot, launchNumber: number, iterations: number) => {
    const id = `i-${slot.name}-${launchNumber}`;
    const env = instanceEnv(slot, id, {
      host: '127.0.0.1',
      env: { [FAULT_LOG_DIR_ENV]: dir },
      chaosSeed: seed,
      drainDelayMs: 0,
      faultRules: rules,
    });
    const log = openFaultLog(env.CHAOS_FAULT_LOG, { instance: id, generation: Number(env.INSTANCE_GENERATION) });
    let crashed = false;
    const injector = new FaultInjector({
      seed: Number(env.CHAOS_SEED),
      now: clock,
      onFault: (e) => log.record(e),
      crash: () => (crashed = true),
    });
    injector.setRules(JSON.parse(env.FAULT_RULES) as FaultRule[]);
    recorder.fleetEvent({ at: clock(), type: 'launched', instance: id, role: slot.role });
    const handler = injector.wrap('dynamodb', realService);
    for (let i = 0; i < iterations && !crashed; i++) {
      await handler.handle(request('UpdateItem'));
      if (i % 2 === 0) void handler.handle(request('PutItem'));
    }
    log.close();
    if (crashed) recorder.fleetEvent({ at: clock(), type: 'died', instance: id, role: slot.role });
  };
  try {
    await launch(API_1, 1, 60); // 30 PutItems: never reaches the crash
    await launch(WORKER_2, 1, 100);
    await launch(WORKER_2, 2, 100);
    const history = mergeByTime<HistoryEntry>(recorder.entries(), readFaultLogs(dir));
    return { schedule: faultSchedule(history), history };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the fault schedule of a run', () => {
  it('one seed twice: identical schedules (every launch, replacements included)', async () => {
    const [a, b] = [await simulatedRun(1), await simulatedRun(1)];
    expect(a.schedule.apiFaults.length).toBeGreaterThan(0);
    const comparison = compareSchedules(a.schedule, b.schedule);
    expect(comparison).toEqual({ matched: true, identical: true, differences: [], notes: [] });
    expect(formatComparison(comparison)).toBe('fault schedule: identical');
  });

  it('two seeds: different schedules, and the first difference is named', async () => {
    const comparison = compareSchedules((await simulatedRun(1)).schedule, (await simulatedRun(2)).schedule);
    expect(comparison.matched).toBe(false);
    expect(comparison.differences[0]).toMatch(
      /^(api-1|worker-2) generation \d, rule fis\/updates\/seed-x: run A faulted call \d+ \(UpdateItem internal-error\), run B /,
    );
  });

  it('generation 1 of a slot does not replay generation 0 (a replacement gets its own faults)', async () => {
    const { schedule } = await simulatedRun(1);
    const calls = (generation: number) =>
      schedule.apiFaults
        .find((r) => r.slot === 'worker-2' && r.generation === generation && r.rule === 'fis/updates/seed-x')!
        .calls.map((c) => c.call);
    expect(calls(0).length).toBeGreaterThan(3);
    expect(calls(1).length).toBeGreaterThan(3);
    expect(calls(1)).not.toEqual(calls(0));
  });

  it('the crash and the death it caused are in the schedule, with the crashed call', async () => {
    const { schedule } = await simulatedRun(1);
    const died = (generation: number) => ({
      slot: 'worker-2',
      generation,
      how: 'died',
      cause: 'crash after PutItem (rule fis/crash/seed-x, call 40)',
    });
    expect(schedule.kills).toEqual([died(0), died(1)]);
    const crashes = schedule.apiFaults.filter((r) => r.rule === 'fis/crash/seed-x');
    expect(crashes.map((r) => [r.slot, r.generation, r.calls])).toEqual(
      [0, 1].map((g) => ['worker-2', g, [{ call: 40, operation: 'PutItem', fault: 'crash after' }]]),
    );
  });
});

const base: FaultSchedule = {
  apiFaults: [
    {
      slot: 'worker-1',
      generation: 0,
      rule: 'r',
      calls: [3, 7, 12].map((call) => ({ call, operation: 'SendMessage', fault: 'internal-error' })),
    },
  ],
  kills: [{ slot: 'api-1', generation: 0, how: 'terminated', cause: 'kill-api' }],
};
const withCalls = (calls: number[]): FaultSchedule => ({
  ...base,
  apiFaults: [{ ...base.apiFaults[0], calls: calls.map((call) => ({ call, operation: 'SendMessage', fault: 'internal-error' })) }],
});

describe('compareSchedules: faulted calls', () => {
  it('a run that made fewer calls matches, not identically: the decisions agree where both runs made the call', () => {
    const c = compareSchedules(base, withCalls([3, 7]));
    expect(c.matched).toBe(true);
    expect(c.identical).toBe(false);
    expect(c.notes).toEqual(['worker-1 generation 0, rule r: the same faults up to call 7; run A went on to more (1 more faulted calls)']);
  });

  it('a call faulted in one run and not in the other, before both runs stopped, is a difference', () => {
    const c = compareSchedules(base, withCalls([3, 9]));
    expect(c.matched).toBe(false);
    expect(c.differences).toEqual([
      'worker-1 generation 0, rule r: run A faulted call 7 (SendMessage internal-error), run B faulted call 9 (SendMessage internal-error)',
    ]);
  });

  it('a launch that faulted in one run only, under a rule both runs fired, is a note (it made fewer calls in the other)', () => {
    const extraLaunch: FaultSchedule = {
      ...base,
      apiFaults: [
        ...base.apiFaults,
        { slot: 'worker-1', generation: 1, rule: 'r', calls: [{ call: 40, operation: 'SendMessage', fault: 'internal-error' }] },
      ],
    };
    const c = compareSchedules(extraLaunch, base);
    expect(c.matched).toBe(true);
    expect(c.notes).toEqual([
      "worker-1 generation 1, rule r: faults only in run A (from call 40); the other run's launch made fewer calls or did not exist",
    ]);
  });
});

describe('compareSchedules: rules and kills', () => {
  it('another victim, or a rule only one run has, are differences', () => {
    const otherVictim = compareSchedules(base, {
      ...base,
      kills: [{ slot: 'api-2', generation: 0, how: 'terminated', cause: 'kill-api' }],
    });
    expect(otherVictim.differences).toEqual([
      'api-1: run A has 1 more kill(s), first api-1 generation 0 terminated (kill-api)',
      'api-2: run B has 1 more kill(s), first api-2 generation 0 terminated (kill-api)',
    ]);
    const noFaults = compareSchedules(base, { ...base, apiFaults: [] });
    expect(noFaults.differences).toEqual([
      'rule r fired only in run A (first on worker-1 generation 0, call 3: SendMessage internal-error)',
    ]);
  });

  it('kills of different slots may interleave differently; per slot, order and cause must agree', () => {
    const crash = (slot: string, generation: number, call: number) => ({
      slot,
      generation,
      how: 'died' as const,
      cause: `crash after UpdateItem (rule r, call ${call})`,
    });
    const a: FaultSchedule = { apiFaults: [], kills: [crash('worker-1', 0, 3), crash('api-1', 0, 12), crash('worker-1', 1, 7)] };
    const interleaved = compareSchedules(a, { apiFaults: [], kills: [crash('api-1', 0, 12), crash('worker-1', 0, 3)] });
    expect(interleaved).toEqual({
      matched: true,
      identical: false,
      differences: [],
      notes: ['worker-1: run A has 1 more kill(s), first worker-1 generation 1 died (crash after UpdateItem (rule r, call 7))'],
    });
    const otherCall = compareSchedules(a, { apiFaults: [], kills: [crash('api-1', 0, 12), crash('worker-1', 0, 4)] });
    expect(otherCall.differences).toEqual([
      'worker-1, kill 1: run A worker-1 generation 0 died (crash after UpdateItem (rule r, call 3)), ' +
        'run B worker-1 generation 0 died (crash after UpdateItem (rule r, call 4))',
    ]);
  });
});
