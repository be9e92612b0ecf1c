import { fc } from '@imagery/testing/property';
import { checkRun, interleaverOf, propertyParameters, runScenario, scenarioArbitrary } from '@imagery/testing/domain';

/*
 * Jepsen in miniature: virtual users (create with their own id, upload, read, retry on 5xx),
 * workers (poll, process, delete; repair sweeps) and a nemesis (faults before or after a write,
 * lost responses, failed sends, clock jumps, duplicated and reordered messages) run concurrently,
 * interleaved at every port call by fast-check's scheduler; then the system drains and the
 * checker of the chaos experiments (libs/checker) reads the history and the final state — one
 * checker for both. A failure prints its seed and path: replay it with FC_SEED=<seed> FC_PATH=<path>.
 */
describe('the image pipeline under concurrency and faults', () => {
  it('keeps every invariant of the design', async () => {
    const seen = { ackedUploads: 0, processed: 0, failed: 0, faults: 0, runs: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, fc.scheduler(), async (scenario, scheduler) => {
        const run = await runScenario(scenario, {}, interleaverOf(scheduler));
        const violations = await checkRun(run);
        seen.runs++;
        seen.ackedUploads += run.history.filter((e) => e.type === 'ok' && e.op === 'upload').length;
        seen.faults += run.history.filter((e) => e.type === 'nemesis').length;
        seen.processed += run.state.items.filter((i) => i.state === 'processed').length;
        seen.failed += run.state.items.filter((i) => i.state === 'failed').length;
        if (violations.length > 0)
          throw new Error(`violations:\n${violations.map((v) => `${v.invariant} [${v.ids.join(', ')}] ${v.message}`).join('\n')}`);
      }),
      propertyParameters(1000),
    );
    // The generator must produce runs worth checking, not only empty ones.
    expect(seen.ackedUploads).toBeGreaterThan(seen.runs / 4);
    expect(seen.processed).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
    expect(seen.faults).toBeGreaterThan(seen.runs / 4);
  });
});
