import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ControlPlane } from '@imagery/control-plane/control-plane';
import { FIS_ACTIONS } from './actions';
import type { FisAction } from './actions/fis-action';
import { type FisClock, wallFisClock } from './clock';
import { ExperimentService } from './experiments/experiment-service';
import { fisRoutes } from './http/fis-routes';
import type { RouteDescription } from './http/router';
import { DEFAULT_LOCATION, FisLocation } from './identifiers';
import { alarmCatalog, AlarmDefinition, LOCAL_ALARMS } from './stop-conditions/alarms';
import { AlarmOverrides } from './stop-conditions/alarm-overrides';
import { LOCAL_PREFIX, localAlarmRoutes } from './http/local-alarm-routes';
import { TemplateStore } from './templates/template-store';
import { SafetyLever } from './safety-lever';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';

export const DEFAULT_FIS_PORT = 4600;

export interface FisSimulatorOptions {
  readonly controlPlane: ControlPlane;
  /** 4600 by default; 0 picks a free port. */
  readonly port?: number;
  /** Loopback only: 127.0.0.1 by default; anything else is refused (it can kill the fleet). */
  readonly host?: string;
  /** Seed of random choices for experiments whose template has no `seed` tag. */
  readonly seed?: number;
  readonly clock?: FisClock;
  readonly location?: FisLocation;
  readonly alarms?: readonly AlarmDefinition[];
  /** How often stop conditions are evaluated (1 s, like a fast CloudWatch alarm). */
  readonly stopConditionIntervalMs?: number;
  readonly actions?: ReadonlyMap<string, FisAction>;
  /** Where experiment reports are also written locally (chaos/reports/fis by default). */
  readonly reportDir?: string;
  /** One line per event (targets resolved, faults injected and removed, state changes). */
  readonly log?: (line: string) => void;
}

export interface FisSimulator {
  /** The endpoint to give the SDK / the AWS CLI (`--endpoint-url`). */
  readonly url: string;
  readonly port: number;
  /** The FIS operations it serves (name, method, path), as the service model names them. */
  readonly operations: readonly RouteDescription[];
  /** Resolves when the experiment has ended and every fault it injected was removed. */
  finished(experimentId: string): Promise<void>;
  /** Stops running experiments (removing their faults), then the server. */
  stop(): Promise<void>;
}

/** A local service that speaks the AWS FIS API and runs experiments against the ControlPlane. */
export async function startFisSimulator(options: FisSimulatorOptions): Promise<FisSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new Error(`the FIS simulator listens on loopback only, not ${host}`);
  const clock = options.clock ?? wallFisClock;
  const location = options.location ?? DEFAULT_LOCATION;
  const actions = options.actions ?? FIS_ACTIONS;
  const overrides = new AlarmOverrides();
  const definitions = alarmCatalog(options.alarms ?? LOCAL_ALARMS);
  const alarms = alarmCatalog(options.alarms ?? LOCAL_ALARMS, overrides);
  const log = options.log ?? ((line: string) => console.log(`[fis] ${line}`));
  const templates = new TemplateStore(location, { actions, alarms }, () => clock.now());
  const experiments: ExperimentService = new ExperimentService(
    templates,
    {
      controlPlane: options.controlPlane,
      clock,
      actions,
      alarms,
      location,
      stopConditionIntervalMs: options.stopConditionIntervalMs ?? 1000,
      reportDir: options.reportDir ?? join(repoRoot(), 'chaos', 'reports', 'fis'),
      log,
    },
    options.seed ?? 1,
    (): SafetyLever => lever,
  );
  const lever: SafetyLever = new SafetyLever(location, (reason) => experiments.stopAll(reason));
  const router = fisRoutes({ templates, experiments, actions, location, lever });
  const local = localAlarmRoutes(definitions, overrides, () => clock.now());
  const server = createServer((req, res) => void (req.url?.startsWith(LOCAL_PREFIX) ? local : router).handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_FIS_PORT, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    operations: router.operations(),
    finished: (id) => experiments.finished(id),
    stop: async () => {
      await experiments.stopAll('The FIS simulator is shutting down.');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
