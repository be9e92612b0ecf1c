import TestSequencer from '@jest/test-sequencer';

/**
 * Runs the longest suites first, so that with two workers no long suite starts last while the
 * other worker sits idle. jest's own sequencer does so from the durations of earlier runs in its
 * cache; a fresh clone has none, and file size (its fallback) misses the suites that wait on
 * platforms and clocks. These are the suites measured slowest (seconds, one worker); the rest
 * keep jest's order. A stale figure costs only order, never coverage.
 */
const MEASURED_SECONDS = {
  'chaos/runner/chaos-smoke.e2e-spec.ts': 100,
  'libs/domain/src/use-cases/state-machine.property.spec.ts': 91,
  'infra/deploy/artifact.spec.ts': 55,
  'chaos/runner/streaming-check.e2e-spec.ts': 39,
  'chaos/runner/fis-on-platform.e2e-spec.ts': 30,
  'platform/local/platform-starts.e2e-spec.ts': 24,
  'apps/worker/test/every-image-ends.e2e-spec.ts': 22,
  'apps/worker/test/repair-and-retry.e2e-spec.ts': 16,
  'platform/local/haproxy/haproxy.spec.ts': 16,
  'platform/local/fleet/local-fleet.spec.ts': 15,
  'platform/local/local-platform.e2e-spec.ts': 14,
  'infra/checkov.spec.ts': 12,
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
