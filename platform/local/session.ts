import { existsSync, readFileSync, writeFileSync, mkdirSync, appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesToEnv } from './emulator/data-stack';
import { repoRoot } from '@imagery/kernel/repo-root';
import { LocalPlatform, LocalPlatformOptions, startLocalPlatform } from './local-platform';
import type { FleetEvent } from '../../chaos/fis/control-plane';
import { FAULT_LOG_DIR_ENV } from './fleet/instance-env';
import { FisSimulator, startFisSimulator } from '../../chaos/fis';

/** A fleet event as recorded for reports (flat, JSON-friendly). */
export interface RecordedFleetEvent {
  readonly at: number;
  readonly type: FleetEvent['type'];
  readonly instance: string;
  readonly role: string;
  readonly replacement?: string;
}

/** What `npm start` publishes in .run/platform.json, so `npm run chaos` can use the running platform. */
export interface PlatformDescription {
  readonly pid: number;
  readonly url: string;
  /** The local FIS simulator; absent in AWS, where the SDK's default FIS endpoint is used. */
  readonly fisUrl: string | undefined;
  readonly toxiproxyUrl: string;
  readonly emulatorEndpoint: string;
  /** Configuration for clients that talk to the emulator directly (the checker), not through Toxiproxy. */
  readonly directEnv: Readonly<Record<string, string>>;
  readonly maxUploadBytes: number;
  /** CHAOS_BUILD of every instance: `real`, `seed` or `mutant:<name>` (libs/adversaries). */
  readonly build: string;
  readonly eventsFile: string;
  /** The fleet's seed: each launch seeds its API faults from (seed, slot, generation). Absent in AWS. */
  readonly seed?: number;
  /** Where every instance appends the API faults it injects (`<instance id>.jsonl`). Absent in AWS. */
  readonly faultLogDir?: string;
}

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

export const platformFile = (): string => join(repoRoot(), '.run', 'platform.json');

export interface StartPlatformOptions {
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

/** Starts the platform and the FIS simulator on its control plane; records fleet events. */
export async function startPlatformSession(
  options: StartPlatformOptions = {},
): Promise<PlatformSession & { readonly platform: LocalPlatform }> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const build = options.build ?? 'real';
  const seed = options.seed ?? 1;
  const faultLogDir = join(repoRoot(), '.run', options.publish ? 'fault-logs' : `fault-logs-${process.pid}-${Date.now()}`);
  rmSync(faultLogDir, { recursive: true, force: true });
  mkdirSync(faultLogDir, { recursive: true });
  // chaos mode: every fleet instance has these (instance-env)
  const both = { CHAOS_BUILD: build, [FAULT_LOG_DIR_ENV]: faultLogDir };
  const maxUploadBytes = options.maxUploadBytes ?? CHAOS_MAX_UPLOAD_BYTES;
  const platform: LocalPlatform = await startLocalPlatform({
    ...options.platform,
    host,
    // 0: each server binds a port of its own choosing (or retries a fresh one), so starts cannot race
    apiPort: options.apiPort ?? 0,
    workerPort: options.workerPort ?? 0,
    emulatorPort: options.emulatorPort ?? 0,
    stackName: options.stackName ?? `imagery-${build === 'real' ? 'chaos' : build.replace(/[^a-z0-9-]/g, '-')}`,
    quiet: options.quiet,
    chaosSeed: seed,
    roleEnv: { api: { ...both, MAX_UPLOAD_BYTES: String(maxUploadBytes) }, worker: { ...both, ...CHAOS_WORKER_ENV } },
  });
  let fis: FisSimulator | undefined;
  try {
    fis = await startFisSimulator({ controlPlane: platform.controlPlane, host, port: options.fisPort ?? 0, seed: options.seed, log });
  } catch (err) {
    await platform.stop();
    throw err;
  }
  const eventsFile = join(repoRoot(), '.run', options.publish ? 'fleet-events.jsonl' : `fleet-events-${process.pid}-${Date.now()}.jsonl`);
  mkdirSync(join(repoRoot(), '.run'), { recursive: true });
  writeFileSync(eventsFile, '');
  const events: RecordedFleetEvent[] = [];
  const unsubscribe = platform.controlPlane.fleet.onEvent((e) => {
    const recorded: RecordedFleetEvent = {
      at: e.at,
      type: e.type,
      instance: e.instance.id,
      role: e.instance.role,
      ...(e.type === 'replaced' ? { replacement: e.replacement.id } : {}),
    };
    events.push(recorded);
    appendFileSync(eventsFile, `${JSON.stringify(recorded)}\n`);
  });
  const description: PlatformDescription = {
    pid: process.pid,
    url: platform.url,
    fisUrl: fis.url,
    toxiproxyUrl: platform.controlPlane.toxiproxyUrl,
    emulatorEndpoint: platform.emulatorEndpoint,
    directEnv: resourcesToEnv(platform.emulatorEndpoint, platform.resources),
    maxUploadBytes,
    build,
    eventsFile,
    seed,
    faultLogDir,
  };
  if (options.publish) writeFileSync(platformFile(), JSON.stringify(description, null, 2));
  return {
    ...description,
    platform,
    owned: true,
    fleetEvents: (from, to) => events.filter((e) => e.at >= from && e.at <= to),
    close: async () => {
      unsubscribe();
      if (options.publish) rmSync(platformFile(), { force: true });
      if (!options.publish) rmSync(eventsFile, { force: true });
      await fis?.stop();
      await platform.stop();
      if (!options.publish) rmSync(faultLogDir, { recursive: true, force: true });
    },
  };
}

/** The platform `npm start` published, if it is still alive and of the wanted build. */
export async function attachToRunningPlatform(build: string): Promise<PlatformSession | undefined> {
  if (!existsSync(platformFile())) return undefined;
  let description: PlatformDescription;
  try {
    description = JSON.parse(readFileSync(platformFile(), 'utf8'));
    process.kill(description.pid, 0);
  } catch {
    return undefined;
  }
  if ((description.build ?? 'real') !== build) return undefined;
  const healthy = await fetch(`${description.url}/health`, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.ok,
    () => false,
  );
  if (!healthy) return undefined;
  // The runner asks every second: read only what npm start appended since the last call.
  const events: RecordedFleetEvent[] = [];
  let offset = 0;
  const read = (): RecordedFleetEvent[] => {
    const text = readFileSync(description.eventsFile).subarray(offset).toString('utf8');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    offset += Buffer.byteLength(complete);
    for (const line of complete.split('\n')) if (line) events.push(JSON.parse(line) as RecordedFleetEvent);
    return events;
  };
  return {
    ...description,
    owned: false,
    fleetEvents: (from, to) => read().filter((e) => e.at >= from && e.at <= to),
    close: async () => undefined,
  };
}
