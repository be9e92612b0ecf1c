import type { LocalPlatform } from '../../platform/local/local-platform';
import type { PlatformSession } from '../../platform/local/session';
import { MutationPlatform } from './mutation-platform';

jest.mock('../../platform/local/start/load-balancer', () => ({ waitUntilServing: () => Promise.resolve() }));

/** The platform's bookkeeping only: a fleet whose relaunch records the build, no process, no store. */
function platformOn(build: string) {
  const relaunched: string[] = [];
  const fleet = {
    relaunch: (env: Record<string, string>) => {
      relaunched.push(env.CHAOS_BUILD);
      return Promise.resolve();
    },
    instances: () => [],
  };
  const session = { platform: { controlPlane: { fleet, haproxy: {} } } } as unknown as PlatformSession & { platform: LocalPlatform };
  const Ctor = MutationPlatform as unknown as new (s: typeof session, build: string) => MutationPlatform;
  return { platform: new Ctor(session, build), relaunched };
}

describe('MutationPlatform: when a run may skip the idle wait (runExperiment platformIdle)', () => {
  it('idle once started, not while a run goes, idle again only after a run whose drain completed', async () => {
    const { platform } = platformOn('seed');
    await platform.sessionFor('seed');
    expect(platform.takeIdle()).toBe(true); // nothing ever ran
    expect(platform.takeIdle()).toBe(false); // a run has started and not ended
    platform.ranRun(true);
    expect(platform.takeIdle()).toBe(true);
    platform.ranRun(false); // its drain timed out: work may be left
    await platform.sessionFor('seed'); // same build: no relaunch
    expect(platform.takeIdle()).toBe(false);
  });

  it('a relaunch (another build, or fresh) makes it idle again whatever the last run left', async () => {
    const { platform, relaunched } = platformOn('seed');
    platform.takeIdle();
    platform.ranRun(false);
    await platform.sessionFor('mutant:copy-not-sepia');
    expect(relaunched).toEqual(['mutant:copy-not-sepia']);
    expect(platform.takeIdle()).toBe(true);
    platform.ranRun(false);
    await platform.sessionFor('mutant:copy-not-sepia', true);
    expect(relaunched).toEqual(['mutant:copy-not-sepia', 'mutant:copy-not-sepia']);
    expect(platform.takeIdle()).toBe(true);
  });
});
