import { randomUUID } from 'node:crypto';
import { eventually } from '@imagery/testing/eventually';
import { loadExperimentTemplate } from '../experiments/load-experiment-template';
import { FisExperiment } from './fis-experiment';
import { PlatformSession } from '../../platform/local/session';
import { startLocalSession } from './local-session';
import { capDurations } from './template-timing';

/**
 * The FIS simulator driving the real local platform, through @aws-sdk/client-fis: an API-error
 * action really breaks calls (visible in /metrics) and heals when it ends; a toxic is applied on the
 * real Toxiproxy proxy and removed; a terminated instance is really replaced.
 */
type Session = PlatformSession & Awaited<ReturnType<typeof startLocalSession>>;

/** GetItem fails on every API instance for 3 s. */
const GETITEM_FAILS = {
  description: 'GetItem fails on the API for 3 s',
  roleArn: 'arn:aws:iam::000000000000:role/imagery-fis',
  targets: { api: { resourceType: 'aws:iam:role', resourceArns: ['arn:aws:iam::000000000000:role/api'], selectionMode: 'ALL' } },
  actions: {
    'getitem-fails': {
      actionId: 'aws:fis:inject-api-internal-error',
      parameters: { service: 'dynamodb', operations: 'GetItem', percentage: '100', duration: 'PT3S' },
      targets: { Roles: 'api' },
    },
  },
  stopConditions: [{ source: 'none' }],
};

/** Polls the experiment until it ends; its final status. */
const runToEnd = async (experiment: FisExperiment) => {
  const refreshedUntilDone = async () => {
    await experiment.refresh();
    return experiment.done ? true : undefined;
  };
  await eventually(refreshedUntilDone, 30_000, 'the experiment to end');
  return experiment.last?.state?.status;
};

const faultSamples = async (session: Session) =>
  (await session.platform.controlPlane.metrics.scrape()).filter(
    (s) => s.name === 'imagery_faults_injected_total' && s.labels.kind === 'internal-error',
  );

const runningApis = (session: Session) =>
  session.platform.controlPlane.fleet
    .instances()
    .filter((i) => i.role === 'api' && i.state === 'running')
    .map((i) => i.id);

describe('FIS experiments on the local platform', () => {
  let session: Session;
  let fis: FisExperiment;

  beforeAll(async () => {
    session = await startLocalSession({ quiet: true, platform: { apiCount: 2, workerCount: 1 } });
  }, 90_000);
  afterAll(async () => {
    fis?.destroy();
    await session?.close();
  });

  it('inject-api-internal-error: calls fail while it runs (in /metrics), and work again after', async () => {
    fis = new FisExperiment(session.fisUrl);
    const id = randomUUID();
    expect((await fetch(`${session.url}/image/${id}`, { method: 'PUT' })).status).toBe(201);
    await fis.start(GETITEM_FAILS, 1);
    await eventually(
      async () => ((await fetch(`${session.url}/image/${id}`)).status === 503 ? true : undefined),
      15_000,
      'GetItem to fail',
    );
    const injected = await faultSamples(session);
    expect(injected.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThan(0);
    expect(injected.every((s) => s.labels.role === 'api' && s.labels.operation === 'GetItem')).toBe(true);

    expect(await runToEnd(fis)).toBe('completed');
    expect((await fetch(`${session.url}/image/${id}`)).status).toBe(200);
    for (const instance of session.platform.controlPlane.fleet.instances()) {
      expect(await (await fetch(`${instance.baseUrl}/_chaos/faults`)).json()).toEqual([]);
    }
  }, 60_000);

  it('local:toxiproxy:toxic: the toxic is on the real proxy while the action runs, gone after', async () => {
    fis = new FisExperiment(session.fisUrl);
    await fis.start(capDurations(loadExperimentTemplate('dynamodb-latency'), 3), 1);
    // `proxy: dynamodb` means DynamoDB's proxy in every zone; zone a's stands for both
    const toxics = () =>
      fetch(`${session.toxiproxyUrl}/proxies/dynamodb-a/toxics`).then((r) => r.json() as Promise<Array<{ type: string }>>);
    await eventually(async () => ((await toxics()).some((t) => t.type === 'latency') ? true : undefined), 15_000, 'the latency toxic');
    expect(await runToEnd(fis)).toBe('completed');
    expect(await toxics()).toEqual([]);
  }, 60_000);

  it('aws:ec2:terminate-instances: an API instance is terminated and replaced', async () => {
    fis = new FisExperiment(session.fisUrl);
    const before = session.platform.controlPlane.fleet
      .instances()
      .filter((i) => i.role === 'api')
      .map((i) => i.id);
    const started = Date.now();
    await fis.start(capDurations(loadExperimentTemplate('kill-api'), 3), 1);
    expect(await runToEnd(fis)).toBe('completed');
    const replaced = () => session.fleetEvents(started, Date.now()).some((e) => e.type === 'replaced');
    await eventually(() => (replaced() ? true : undefined), 30_000, 'the API instance replaced');
    // The replacement is launched (pending) when `replaced` is emitted; it runs once it answers its health check.
    await eventually(() => (runningApis(session).length === 2 ? true : undefined), 30_000, 'two running APIs');
    const after = runningApis(session);
    expect(after).toHaveLength(2);
    expect(after.filter((i) => !before.includes(i))).toHaveLength(1);
  }, 60_000);
});
