import { NemesisRecorder } from './nemesis-recorder';

const at = (ms: number) => new Date(ms);

/** A polled experiment's three actions: a toxic, a cut (disrupt-connectivity) and a kill. */
const toxic = {
  actionId: 'local:toxiproxy:toxic',
  parameters: { proxy: 's3', type: 'reset_peer', attributes: '{"timeout":0}', duration: 'PT1M' },
};
const cut = {
  actionId: 'aws:network:disrupt-connectivity',
  parameters: { proxies: 'sqs, dynamodb', duration: 'PT30S' },
  targets: { Subnets: 'subnets' },
};
const kill = { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'apis' } };

describe('NemesisRecorder: the fleet', () => {
  it('fleet events become instance entries with role, slot and generation, at the fleet time', () => {
    const r = new NemesisRecorder(() => 0);
    r.fleetEvent({ at: 200, type: 'terminated', instance: 'i-api-1-1', role: 'api' });
    r.fleetEvent({ at: 100, type: 'launched', instance: 'i-worker-2-3', role: 'worker' });
    r.fleetEvent({ at: 300, type: 'replaced', instance: 'i-api-1-1', role: 'api', replacement: 'i-api-1-2' });
    expect(r.entries()).toEqual([
      {
        type: 'nemesis',
        time: 100,
        event: { kind: 'instance', phase: 'launched', instance: 'i-worker-2-3', role: 'worker', slot: 2, generation: 2 },
      },
      {
        type: 'nemesis',
        time: 200,
        event: { kind: 'instance', phase: 'terminated', instance: 'i-api-1-1', role: 'api', slot: 1, generation: 0 },
      },
      {
        type: 'nemesis',
        time: 300,
        event: {
          kind: 'instance',
          phase: 'replaced',
          instance: 'i-api-1-1',
          role: 'api',
          slot: 1,
          generation: 0,
          replacement: 'i-api-1-2',
        },
      },
    ]);
  });
});

describe('NemesisRecorder: a polled FIS experiment', () => {
  it('polled experiments: each start and end once, at the times FIS reports, with the toxics and cut proxies of the actions', () => {
    const r = new NemesisRecorder(() => 9_999);
    r.observeExperiment({ id: 'EXP1', state: { status: 'pending' }, actions: { toxic: { ...toxic, state: { status: 'pending' } } } });
    expect(r.entries()).toEqual([]);
    const running = {
      id: 'EXP1',
      state: { status: 'running' },
      startTime: at(1_000),
      actions: {
        toxic: { ...toxic, state: { status: 'running' }, startTime: at(1_010) },
        cut: { ...cut, state: { status: 'pending' } },
        kill: { ...kill, state: { status: 'completed' }, startTime: at(1_020), endTime: at(1_030) },
      },
    };
    r.observeExperiment(running);
    r.observeExperiment(running); // a second poll with nothing new records nothing
    r.observeExperiment({
      id: 'EXP1',
      state: { status: 'stopped', reason: 'stop condition' },
      startTime: at(1_000),
      endTime: at(5_000),
      actions: {
        toxic: { ...toxic, state: { status: 'stopped' }, startTime: at(1_010), endTime: at(4_000) },
        cut: { ...cut, state: { status: 'stopped' }, startTime: at(2_000), endTime: at(4_000) },
        kill: { ...kill, state: { status: 'completed' }, startTime: at(1_020), endTime: at(1_030) },
      },
    });
    const lines = r.entries().map((e) => [e.time, e.event.kind, 'phase' in e.event ? e.event.phase : '', summary(e.event)]);
    expect(lines).toEqual([
      [1_000, 'fis-experiment', 'start', 'EXP1 running'],
      [1_010, 'fis-action', 'start', 'toxic local:toxiproxy:toxic'],
      [1_010, 'toxic', 'added', 's3 fis_EXP1_toxic reset_peer {"timeout":0}'],
      [1_020, 'fis-action', 'start', 'kill aws:ec2:terminate-instances apis'],
      [1_030, 'fis-action', 'end', 'kill aws:ec2:terminate-instances completed'],
      [2_000, 'fis-action', 'start', 'cut aws:network:disrupt-connectivity subnets'],
      [2_000, 'proxy', 'disabled', 'sqs'],
      [2_000, 'proxy', 'disabled', 'dynamodb'],
      [4_000, 'toxic', 'removed', 's3 fis_EXP1_toxic reset_peer {"timeout":0}'],
      [4_000, 'fis-action', 'end', 'toxic local:toxiproxy:toxic stopped'],
      [4_000, 'proxy', 'enabled', 'sqs'],
      [4_000, 'proxy', 'enabled', 'dynamodb'],
      [4_000, 'fis-action', 'end', 'cut aws:network:disrupt-connectivity stopped'],
      [5_000, 'fis-experiment', 'end', 'EXP1 stopped stop condition'],
    ]);
  });
});

describe('NemesisRecorder: actions that did not run to their end', () => {
  it('an action that never started (cancelled) leaves no entry; scope `all` cuts every proxy', () => {
    const r = new NemesisRecorder(() => 7);
    r.observeExperiment({
      id: 'EXP2',
      state: { status: 'failed', reason: 'boom' },
      startTime: at(10),
      endTime: at(20),
      actions: {
        never: { actionId: 'local:toxiproxy:toxic', parameters: { proxy: 's3', type: 'latency' }, state: { status: 'cancelled' } },
        all: { actionId: 'aws:network:disrupt-connectivity', parameters: { scope: 'all' }, state: { status: 'failed' }, startTime: at(11) },
      },
    });
    expect(r.entries().map((e) => [e.time, e.event.kind, summary(e.event)])).toEqual(
      [
        [10, 'fis-experiment', 'EXP2 failed'],
        [11, 'fis-action', 'all aws:network:disrupt-connectivity'],
        [11, 'proxy', '*'],
        [7, 'proxy', '*'],
        [7, 'fis-action', 'all aws:network:disrupt-connectivity failed'],
        [20, 'fis-experiment', 'EXP2 failed boom'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
  });
});

function summary(e: import('@imagery/history/history-entry').NemesisEvent): string {
  switch (e.kind) {
    case 'fis-experiment':
      return [e.experimentId, e.state, e.reason].filter(Boolean).join(' ');
    case 'fis-action':
      return [e.action, e.actionId, e.state, ...(e.targets ?? [])].filter(Boolean).join(' ');
    case 'toxic':
      return `${e.proxy} ${e.name} ${e.toxic}${e.attributes ? ` ${JSON.stringify(e.attributes)}` : ''}`;
    case 'proxy':
      return e.proxy;
    default:
      return '';
  }
}
