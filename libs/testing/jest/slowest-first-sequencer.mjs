import TestSequencer from '@jest/test-sequencer';

/**
 * Runs the longest suites first, so that with two workers no long suite starts last while the
 * other worker sits idle. jest's own sequencer does so from the durations of earlier runs in its
 * cache; a fresh clone has none, and file size (its fallback) misses the suites that wait on
 * platforms and clocks. These are the suites measured slowest (seconds, two workers); the rest
 * keep jest's order. A stale figure costs only order, never coverage.
 */
const MEASURED_SECONDS = {
  'infra/deploy/artifact.spec.ts': 12,
  'chaos/runner/chaos-smoke.e2e-spec.ts': 90, // the real build's smoke, then the seed build's streaming-check run
  'libs/domain/src/use-cases/state-machine.property.spec.ts': 44, // 7 to 44: its seed is random, so is its scenarios' size
  'chaos/runner/fis-on-platform.e2e-spec.ts': 26,
  'platform/local/platform-starts.e2e-spec.ts': 26,
  'apps/worker/test/every-image-ends.e2e-spec.ts': 22,
  'platform/local/fleet/local-fleet.spec.ts': 17,
  'apps/worker/test/repair-and-retry.e2e-spec.ts': 17,
  'platform/local/haproxy/haproxy.spec.ts': 12,
  'platform/local/local-platform.e2e-spec.ts': 9,
  'infra/deploy/deploy-emulator.spec.ts': 9,
  'apps/worker/test/lifecycle.e2e-spec.ts': 9,
};

export default class SlowestFirstSequencer extends TestSequencer {
  sort(tests) {
    const known = (test) => this.time(test) ?? (MEASURED_SECONDS[relativePath(test)] ?? 0) * 1000;
    const sorted = super.sort(tests);
    const order = new Map(sorted.map((test, index) => [test, index]));
    return sorted.sort((a, b) => this.failedFirst(a, b) || known(b) - known(a) || order.get(a) - order.get(b));
  }

  failedFirst(a, b) {
    return Number(Boolean(this.hasFailed(b))) - Number(Boolean(this.hasFailed(a)));
  }
}

const relativePath = (test) => test.path.slice(test.context.config.rootDir.length + 1);
