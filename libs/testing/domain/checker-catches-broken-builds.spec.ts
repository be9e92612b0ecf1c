import fc from 'fast-check';
import type { InvariantName } from '@imagery/checker/violation';
import { NaiveImageTable, skipTransitionProcessor, timestampedKeyProcessor } from './broken-variants';
import { IMAGE_IDS } from './image-fixtures';
import { pollOnce, runClient } from './sim-actors';
import { interleaverOf, scenarioArbitrary } from './sim-arbitraries';
import { checkRun } from './sim-check';
import { drain } from './sim-drain';
import { RunRecord, runScenario, snapshot } from './sim-run';
import { ClientScript, ClientStep } from './sim-scenario';
import { SimOverrides, SimWorld } from './sim-world';

const ID = IMAGE_IDS[0];
const step = (op: ClientStep['op']): ClientStep => ({ op, upperCase: false });
const CLIENT: ClientScript = { id: ID, payload: 'image', steps: [step('create'), step('upload')] };

/** The client's requests, in order (retrying transient failures). */
type Act = (...ops: ClientStep['op'][]) => Promise<void>;

/** A hand-driven run: `script` acts on the world, then the system drains and is snapshotted. */
async function handRun(overrides: SimOverrides, script: (world: SimWorld, act: Act) => Promise<void>): Promise<RunRecord> {
  const world = new SimWorld(overrides);
  const act = (...ops: ClientStep['op'][]) => runClient(world, { ...CLIENT, steps: ops.map(step) });
  world.history.workload('start');
  await script(world, act);
  world.history.workload('end');
  await drain(world);
  return snapshot(world, { clients: [CLIENT] });
}

const namesOf = async (run: RunRecord): Promise<InvariantName[]> => [...new Set((await checkRun(run)).map((v) => v.invariant))].sort();

/**
 * The upload's SendMessage is lost, so the repair sweep lists the stuck image; before its claim
 * lands the client's retry re-sends the message, a worker processes it and the client reads it.
 */
async function sweepRacingAWorker(world: SimWorld, act: Act): Promise<void> {
  world.faults.failNext('queue.send');
  await act('create', 'upload');
  world.clock.advance(world.settings.stuckAfterMs + 1);
  let interleaved = false;
  world.faults.gate = async (operation) => {
    if (operation !== 'table.update' || interleaved) return;
    interleaved = true;
    await act('upload');
    await pollOnce(world);
    await act('get');
  };
  await world.repair.execute();
  world.faults.gate = undefined;
  await act('get');
}

/** The worker's rendering is stored but the response is lost; the message comes back later. */
async function lostPutResponse(world: SimWorld, act: Act): Promise<void> {
  await act('create', 'upload');
  world.faults.failNext('store.put', 'ambiguous');
  await pollOnce(world);
  world.clock.advance(world.settings.visibilityTimeoutSeconds * 1000);
  await pollOnce(world);
}

describe('the checker (libs/checker) catches deliberately broken builds in the simulation', () => {
  it('a worker that never records processed: lost upload and an orphan object', async () => {
    const uploadAndPoll = async (world: SimWorld, act: Act) => {
      await act('create', 'upload');
      await pollOnce(world);
    };
    expect(await namesOf(await handRun({ processor: skipTransitionProcessor }, uploadAndPoll))).toEqual([
      'every-image-ends',
      'nothing-duplicated',
    ]);
    expect(await namesOf(await handRun({}, uploadAndPoll))).toEqual([]);
  });

  it('no repair sweep: an upload whose SendMessage failed is lost', async () => {
    const lostSend = async (world: SimWorld, act: Act) => {
      world.faults.failNext('queue.send');
      await act('create', 'upload');
    };
    const lost = await handRun({ repair: false }, lostSend);
    expect(await namesOf(lost)).toEqual(['every-image-ends']);
    // with its provenance: the injected SendMessage fault names the image
    expect((await checkRun(lost))[0].message).toMatch(
      /^acknowledged upload \(attempt 1\) stuck in `uploaded` \(v1\); faults on its requests: send error on sim at /,
    );
    expect(await namesOf(await handRun({}, lostSend))).toEqual([]); // the real build repairs it
  });

  it('unconditional writes: a stale repair claim overwrites processed, and the client sees it go backwards', async () => {
    const broken = await handRun({ table: new NaiveImageTable() }, sweepRacingAWorker);
    expect((await checkRun(broken)).filter((v) => v.invariant === 'monotonic').map((v) => [v.ids, v.message])).toContainEqual([
      [ID],
      expect.stringMatching(
        /^went backwards: get#1 ok 200 v2 processed at .*, then get#1 ok 200 v2 uploaded at .* \(state processed → uploaded\)/,
      ),
    ]);
    expect(await namesOf(await handRun({}, sweepRacingAWorker))).toEqual([]); // conditional writes: the claim loses
  });

  it('timestamped keys: a retried rendering leaves an orphan under processed/', async () => {
    expect(await namesOf(await handRun({ processor: timestampedKeyProcessor }, lostPutResponse))).toEqual(['nothing-duplicated']);
    expect(await namesOf(await handRun({}, lostPutResponse))).toEqual([]); // deterministic keys overwrite
  });

  it.each<[string, SimOverrides]>([
    ['a worker that never records processed', { processor: skipTransitionProcessor }],
    ['no repair sweep', { repair: false }],
  ])('the property test fails against %s', async (_, overrides) => {
    const result = await fc.check(
      fc.asyncProperty(scenarioArbitrary, fc.scheduler(), async (scenario, scheduler) => {
        const run = await runScenario(scenario, overrides, interleaverOf(scheduler));
        return (await checkRun(run)).length === 0;
      }),
      { numRuns: 500, seed: 20240101, endOnFailure: true },
    );
    expect(result.failed).toBe(true);
  });
});
