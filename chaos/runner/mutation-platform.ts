import { createAwsClients } from '@imagery/aws-adapters';
import type { LocalPlatform } from '../../platform/local/local-platform';
import { endLongPolls } from '../../platform/local/emulator/end-long-polls';
import type { PlatformSession } from '../../platform/local/session';
import { waitUntilServing } from '../../platform/local/start/load-balancer';
import { emptyStore, storeOf } from './empty-store';
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
  /**
   * Nothing is left to do on the platform: true once started or relaunched (a store proven empty,
   * a fleet just launched), false once a run starts, true again if its drain completed.
   */
  private idle = true;

  private constructor(
    private readonly session: PlatformSession & { readonly platform: LocalPlatform },
    private current: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  static async start(build: string, seed: number, log: (line: string) => void): Promise<MutationPlatform> {
    return new MutationPlatform(await startLocalSession({ build, seed, quiet: true, log }), build, log);
  }

  /**
   * The platform running `build`: as started for the first build, else the fleet relaunched on an
   * empty store. `fresh` relaunches on an empty store even for the same build (a shrink candidate
   * must not meet the images and instances of the one before: it reuses the same ids).
   */
  async sessionFor(build: string, fresh = false): Promise<PlatformSession> {
    if (build !== this.current || fresh) {
      const { controlPlane } = this.session.platform;
      const started = Date.now();
      let emptied = { from: started, to: started };
      await controlPlane.fleet.relaunch({ CHAOS_BUILD: build }, SERVING_TIMEOUT_MS, async () => {
        emptied = { from: Date.now(), to: Date.now() };
        // The killed workers' long polls are still open in SQS: they would take the next run's first
        // messages and hide them for a visibility timeout (a shrink candidate's worker took its image
        // 5.7 s late, against a replay of it on a fresh platform).
        await endLongPolls(this.session.platform.emulatorEndpoints.sqs);
        await this.emptyStore();
        emptied = { ...emptied, to: Date.now() };
      });
      const running = Date.now();
      await waitUntilServing(
        controlPlane.haproxy,
        controlPlane.fleet.instances().filter((i) => i.role === 'api').length,
        SERVING_TIMEOUT_MS,
      );
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      this.log(
        `relaunched for ${build} in ${s(Date.now() - started)}: old fleet ended ${s(emptied.from - started)}, ` +
          `its polls ended and store emptied ${s(emptied.to - emptied.from)}, new fleet running ${s(running - emptied.to)}, ` +
          `serving ${s(Date.now() - running)}`,
      );
      this.current = build;
      this.idle = true;
    }
    // The same platform, described as running this build (its reports and replay records say so).
    return { ...this.session, build, close: () => Promise.resolve() };
  }

  /**
   * Whether the platform has had nothing to do since its start, its last relaunch or the completed
   * drain of the last run (runExperiment's platformIdle); a run is starting: false until `ranRun`.
   */
  takeIdle(): boolean {
    const idle = this.idle;
    this.idle = false;
    return idle;
  }

  /** A run on the current build has ended: the platform is idle again if its drain completed. */
  ranRun(drained: boolean): void {
    this.idle = drained;
  }

  /** Configuration for clients that reach the emulator directly (the checker), the same for every build. */
  get directEnv(): Readonly<Record<string, string>> {
    return this.session.directEnv;
  }

  close(): Promise<void> {
    return this.session.close();
  }

  private async emptyStore(): Promise<void> {
    const clients = createAwsClients({ s3ForcePathStyle: true });
    try {
      await emptyStore(clients, storeOf(this.session.directEnv));
    } finally {
      clients.destroy();
    }
  }
}
