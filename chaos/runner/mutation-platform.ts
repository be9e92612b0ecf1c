import { createAwsClients } from '@imagery/aws-adapters';
import type { LocalPlatform } from '../../platform/local/local-platform';
import type { PlatformSession } from '../../platform/local/session';
import { waitUntilServing } from '../../platform/local/start/load-balancer';
import { emptyStore } from './empty-store';
import { startLocalSession } from './local-session';

/** How long a relaunched fleet and HAProxy may take to serve again (a loaded 2-core machine). */
const SERVING_TIMEOUT_MS = 60_000;

/**
 * One platform for the whole mutation matrix (what `npm run chaos -- mutants` started per build):
 * the emulator, its data stack, Toxiproxy, HAProxy and the FIS simulator start once; a build is
 * only the fleet's CHAOS_BUILD (the adversary plugin each instance loads at boot), so switching
 * builds ends every instance, empties the store, and launches the fleet again with the new build.
 * Nothing of the previous build is left to act (its processes are gone) or to be judged (the
 * store is empty, proven so, before the new fleet starts).
 */
export class MutationPlatform {
  private constructor(
    private readonly session: PlatformSession & { readonly platform: LocalPlatform },
    private current: string,
  ) {}

  static async start(build: string, seed: number, log: (line: string) => void): Promise<MutationPlatform> {
    return new MutationPlatform(await startLocalSession({ build, seed, quiet: true, log }), build);
  }

  /**
   * The platform running `build`: as started for the first build, else the fleet relaunched on an
   * empty store. `fresh` relaunches on an empty store even for the same build (a shrink candidate
   * must not meet the images and instances of the one before: it reuses the same ids).
   */
  async sessionFor(build: string, fresh = false): Promise<PlatformSession> {
    if (build !== this.current || fresh) {
      const { controlPlane } = this.session.platform;
      await controlPlane.fleet.relaunch({ CHAOS_BUILD: build }, SERVING_TIMEOUT_MS, () => this.emptyStore());
      await waitUntilServing(
        controlPlane.haproxy,
        controlPlane.fleet.instances().filter((i) => i.role === 'api').length,
        SERVING_TIMEOUT_MS,
      );
      this.current = build;
    }
    // The same platform, described as running this build (its reports and replay records say so).
    return { ...this.session, build, close: () => Promise.resolve() };
  }

  /** Configuration for clients that reach the emulator directly (the checker), the same for every build. */
  get directEnv(): Readonly<Record<string, string>> {
    return this.session.directEnv;
  }

  close(): Promise<void> {
    return this.session.close();
  }

  private async emptyStore(): Promise<void> {
    const env = this.session.directEnv;
    const clients = createAwsClients({ s3ForcePathStyle: true });
    try {
      await emptyStore(clients, {
        tableName: env.IMAGES_TABLE,
        bucket: env.IMAGES_BUCKET,
        queueUrl: env.IMAGES_QUEUE_URL,
        dlqUrl: env.IMAGES_DLQ_URL,
      });
    } finally {
      clients.destroy();
    }
  }
}
