import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import type { ExperimentServer, StartExperimentServer } from '@imagery/control-plane/control-plane';
import { resourcesToEnv } from './emulator/data-stack';
import { type RecordedFleetEvent, recordFleetEvents, tailFleetEvents } from './fleet-event-log';
import { FAULT_LOG_DIR_ENV } from './fleet/instance-env';
import { LocalPlatform, LocalPlatformOptions, startLocalPlatform } from './local-platform';
import { type PlatformDescription, findRunningPlatform, publishPlatform, unpublishPlatform } from './running-platform';

export interface PlatformSession extends PlatformDescription {
  /** True when this session started the platform (and will stop it). */
  readonly owned: boolean;
  fleetEvents(from: number, to: number): RecordedFleetEvent[];
  close(): Promise<void>;
}

/**
 * Settings that make chaos runs drain in seconds rather than minutes: a short visibility timeout
 * (a killed worker's message comes back soon) and a quick repair sweep (a lost SendMessage is
 * re-sent soon), and a failed job backing off up to 30 s, so that five receives (the queue's
 * maxReceiveCount) span 58 s and outlast a dependency's 30 s outage instead of dead-lettering the message.
 * Production keeps the slower defaults.
 */
export const CHAOS_WORKER_ENV = {
  VISIBILITY_TIMEOUT_SECONDS: '5',
  REPAIR_STUCK_AFTER_MS: '10000',
  RETRY_BACKOFF_MAX_SECONDS: '30',
  REPAIR_INTERVAL_MS: '1000',
  WORKER_CONCURRENCY: '3',
};
/** Keeps the workload's too-large fixture (limit + 1 bytes) cheap to send. */
export const CHAOS_MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

export interface StartPlatformOptions {
  /** Starts the experiment service on the control plane: chaos/fis's startFisSimulator. */
  readonly experiments: StartExperimentServer;
  readonly host?: string;
  readonly apiPort?: number;
  readonly workerPort?: number;
  readonly emulatorPort?: number;
  readonly fisPort?: number;
  readonly stackName?: string;
  /** CHAOS_BUILD: `real` (default), `seed` or `mutant:<name>`. */
  readonly build?: string;
  readonly seed?: number;
  readonly quiet?: boolean;
  /** Publish .run/platform.json (npm start does; a runner's private platform does not). */
  readonly publish?: boolean;
  /** The API's upload limit (default CHAOS_MAX_UPLOAD_BYTES). */
  readonly maxUploadBytes?: number;
  /** Anything else of the topology (fleet size, fixed ports, replacement grace). */
  readonly platform?: Pick<LocalPlatformOptions, 'apiCount' | 'workerCount' | 'ports' | 'replaceAfterMs'>;
  readonly log?: (line: string) => void;
}

/** The settings every step of a session's start shares, defaults applied. */
interface SessionSettings {
  readonly host: string;
  readonly build: string;
  readonly seed: number;
  readonly maxUploadBytes: number;
  /** npm start's files have fixed names; a runner's private platform's are its own (and removed at close). */
  readonly faultLogDir: string;
  readonly eventsFile: string;
}

/**
 * Starts the platform (emulator, data stack, Toxiproxy, fleet, HAProxy: local-platform.ts) and the
 * FIS simulator on its control plane; records fleet events; publishes the description if asked.
 */
export async function startPlatformSession(options: StartPlatformOptions): Promise<PlatformSession & { readonly platform: LocalPlatform }> {
  const settings = settingsOf(options);
  prepareRunFiles(settings);
  const platform = await startLocalPlatform(localPlatformOptions(options, settings));
  const fis = await startFisOn(platform, options, settings.host);
  const recording = recordFleetEvents(platform.controlPlane.fleet, settings.eventsFile);
  const description = describe(platform, fis, settings);
  if (options.publish) publishPlatform(description);
  return {
    ...description,
    platform,
    owned: true,
    fleetEvents: recording.between,
    close: async () => {
      recording.stop();
      if (options.publish) unpublishPlatform();
      if (!options.publish) rmSync(settings.eventsFile, { force: true });
      await fis.stop();
      await platform.stop();
      if (!options.publish) rmSync(settings.faultLogDir, { recursive: true, force: true });
    },
  };
}

function settingsOf(options: StartPlatformOptions): SessionSettings {
  const runDir = join(repoRoot(), '.run');
  const privately = `${process.pid}-${Date.now()}`;
  return {
    host: options.host ?? '127.0.0.1',
    build: options.build ?? 'real',
    seed: options.seed ?? 1,
    maxUploadBytes: options.maxUploadBytes ?? CHAOS_MAX_UPLOAD_BYTES,
    faultLogDir: join(runDir, options.publish ? 'fault-logs' : `fault-logs-${privately}`),
    eventsFile: join(runDir, options.publish ? 'fleet-events.jsonl' : `fleet-events-${privately}.jsonl`),
  };
}

/** An empty fault log folder (the instances append to it), and .run for the events file. */
function prepareRunFiles({ faultLogDir, eventsFile }: SessionSettings): void {
  rmSync(faultLogDir, { recursive: true, force: true });
  mkdirSync(faultLogDir, { recursive: true });
  mkdirSync(dirname(eventsFile), { recursive: true });
}

function localPlatformOptions(options: StartPlatformOptions, s: SessionSettings): LocalPlatformOptions {
  // chaos mode: every fleet instance has these (instance-env)
  const both = { CHAOS_BUILD: s.build, [FAULT_LOG_DIR_ENV]: s.faultLogDir };
  return {
    ...options.platform,
    host: s.host,
    // 0: each server binds a port of its own choosing (or retries a fresh one), so starts cannot race
    apiPort: options.apiPort ?? 0,
    workerPort: options.workerPort ?? 0,
    emulatorPort: options.emulatorPort ?? 0,
    stackName: options.stackName ?? `imagery-${s.build === 'real' ? 'chaos' : s.build.replace(/[^a-z0-9-]/g, '-')}`,
    quiet: options.quiet,
    chaosSeed: s.seed,
    roleEnv: { api: { ...both, MAX_UPLOAD_BYTES: String(s.maxUploadBytes) }, worker: { ...both, ...CHAOS_WORKER_ENV } },
  };
}

/** The FIS simulator, driving the platform's control plane; the platform is stopped if it cannot start. */
async function startFisOn(platform: LocalPlatform, options: StartPlatformOptions, host: string): Promise<ExperimentServer> {
  const log = options.log ?? (() => undefined);
  try {
    return await options.experiments({ controlPlane: platform.controlPlane, host, port: options.fisPort ?? 0, seed: options.seed, log });
  } catch (err) {
    await platform.stop();
    throw err;
  }
}

function describe(platform: LocalPlatform, fis: ExperimentServer, s: SessionSettings): PlatformDescription {
  return {
    pid: process.pid,
    url: platform.url,
    fisUrl: fis.url,
    toxiproxyUrl: platform.controlPlane.toxiproxyUrl,
    emulatorEndpoint: platform.emulatorEndpoints.dynamodb,
    emulatorEndpoints: platform.emulatorEndpoints,
    directEnv: resourcesToEnv(platform.emulatorEndpoints, platform.resources),
    maxUploadBytes: s.maxUploadBytes,
    build: s.build,
    eventsFile: s.eventsFile,
    seed: s.seed,
    faultLogDir: s.faultLogDir,
  };
}

/** The platform `npm start` published (running-platform.ts), if it is still alive and of the wanted build. */
export async function attachToRunningPlatform(build: string): Promise<PlatformSession | undefined> {
  const description = await findRunningPlatform({ build });
  if (!description) return undefined;
  return {
    ...description,
    owned: false,
    // The runner asks every second: read only what npm start appended since the last call.
    fleetEvents: tailFleetEvents(description.eventsFile),
    close: () => Promise.resolve(),
  };
}
