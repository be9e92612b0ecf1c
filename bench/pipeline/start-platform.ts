import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import { round1 } from '@imagery/kernel/stats';
import type { LocalPlatform } from '../../platform/local/local-platform';
import { PlatformSession } from '../../platform/local/session';
import { startLocalSession } from '../../chaos/runner/local-session';
import type { Teardown } from '@imagery/kernel/process/teardown';
import type { PipelineSettings } from './settings';

export type Session = PlatformSession & { readonly platform: LocalPlatform };

/**
 * Says what machine this is, then starts the whole local platform on free ports (moto, data stack,
 * Toxiproxy, the fleet, HAProxy, the FIS simulator); `teardown` stops it.
 */
export async function startBenchPlatform(settings: PipelineSettings, teardown: Teardown, log: (line: string) => void): Promise<Session> {
  const { apiCount, workerCount } = settings;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  log(
    `${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), load average ${load}, node ${process.version}, libvips ${sharp.versions.vips}`,
  );
  log(`starting the platform: moto, data stack, Toxiproxy, ${apiCount} API + ${workerCount} workers, HAProxy, FIS simulator...`);
  const t = performance.now();
  const session: Session = await startLocalSession({
    quiet: true,
    seed: settings.seed,
    stackName: 'imagery-bench',
    platform: { apiCount, workerCount },
    log: () => undefined,
  });
  teardown.add(session, (s) => s.close(), 'platform');
  log(
    `platform up in ${round1((performance.now() - t) / 1000)} s: ${session.url} (HAProxy), ` +
      `emulator ${session.emulatorEndpoint}, FIS ${session.fisUrl}`,
  );
  return session;
}
