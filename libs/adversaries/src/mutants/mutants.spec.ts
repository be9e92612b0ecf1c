import { ProcessImage, RepairStuckImages, rawKeyOf } from '@imagery/domain';
import { IMAGE_IDS, NOT_AN_IMAGE, UNDECODABLE, anImage, sepiaOf, stagedUpload } from '@imagery/testing/domain';
import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { NO_ADVERSARY } from '@imagery/nest-platform';
import { adversaryWorld } from '@imagery/testing/adversaries/adversary-world';
import { override } from '../override';
import { MUTANTS, adversaryFor, mutantNamed } from '../registry';

const ID = IMAGE_IDS[0];
const mutant = (name: string) => adversaryFor({ kind: 'mutant', name });
/** Lets work the use case left running after its answer (a background promise) settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the mutant registry', () => {
  it('holds at least ten mutants, each named once, described, with the experiments meant to catch it', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
    for (const m of MUTANTS) {
      expect(m.name).toMatch(/^[a-z0-9-]+$/);
      expect(m.description.length).toBeGreaterThan(20);
      expect(m.catchers.length).toBeGreaterThan(0);
      expect(Object.keys(m.build).length).toBeGreaterThan(0);
    }
  });

  it('loads a mutant under its CHAOS_BUILD label and refuses an unknown name, listing the known ones', () => {
    expect(mutant('no-repair-sweep').label).toBe('mutant:no-repair-sweep');
    expect(() => mutantNamed('no-such-defect')).toThrow(/unknown mutant "no-such-defect"; known: timestamped-processed-key/);
  });
});

describe('each mutant has its one defect (against the in-memory fakes), where the real build has none', () => {
  it('timestamped-processed-key: a render repeated after a failed transition leaves a second processed object', async () => {
    for (const [adversary, objects] of [
      [NO_ADVERSARY, 1],
      [mutant('timestamped-processed-key'), 2],
    ] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('uploaded'));
      await w.store.put(anImage('uploaded').rawS3Key!, stagedUpload('jpeg bytes').open(), 'image/jpeg');
      w.plan.failNext('table.update', 'error');
      await expect(w.processImage.execute(ID)).rejects.toThrow(/injected error/);
      await expect(w.processImage.execute(ID)).resolves.toBe('processed');
      expect(w.store.keys('processed/')).toHaveLength(objects);
      expect(w.store.has((await w.table.get(ID))!.processedS3Key!)).toBe(true);
    }
  });

  it('no-repair-sweep: the build asks the worker to run without the repair sweep', () => {
    expect(NO_ADVERSARY.repairSweep).not.toBe(false);
    expect(mutant('no-repair-sweep').repairSweep).toBe(false);
  });

  it('ack-before-durable: an upload is acknowledged although storing it failed, and the image stays created', async () => {
    for (const [adversary, acknowledged] of [
      [NO_ADVERSARY, false],
      [mutant('ack-before-durable'), true],
    ] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('created'));
      w.plan.failNext('store.put', 'error');
      const answer = w.uploadImage.execute(ID, stagedUpload('jpeg bytes'));
      if (acknowledged) expect((await answer).image.state).toBe('uploaded');
      else await expect(answer).rejects.toThrow(/injected error/);
      await settle();
      expect((await w.table.get(ID))!.state).toBe('created');
    }
  });

  it('any-error-is-permanent: a transient S3 failure ends a valid image failed', async () => {
    for (const [adversary, state] of [
      [NO_ADVERSARY, 'uploaded'],
      [mutant('any-error-is-permanent'), 'failed'],
    ] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('uploaded'));
      await w.store.put(anImage('uploaded').rawS3Key!, stagedUpload('jpeg bytes').open(), 'image/jpeg');
      w.plan.failNext('store.get', 'error');
      const outcome = w.processImage.execute(ID);
      if (state === 'failed') await expect(outcome).resolves.toBe('failed');
      else await expect(outcome).rejects.toThrow(/injected error/);
      expect((await w.table.get(ID))!.state).toBe(state);
    }
    // A truly undecodable image still ends failed in both builds: only the classification changed.
    const w = adversaryWorld(mutant('any-error-is-permanent'));
    w.table.seed(anImage('uploaded'));
    await w.store.put(anImage('uploaded').rawS3Key!, stagedUpload(UNDECODABLE).open(), 'image/jpeg');
    await expect(w.processImage.execute(ID)).resolves.toBe('failed');
  });

  it('processed-before-stored: a failure after the transition leaves a processed image without its object', async () => {
    for (const [adversary, objectExists] of [
      [NO_ADVERSARY, true],
      [mutant('processed-before-stored'), false],
    ] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('uploaded'));
      await w.store.put(anImage('uploaded').rawS3Key!, stagedUpload('jpeg bytes').open(), 'image/jpeg');
      w.plan.failNext('table.update', 'ambiguous'); // recorded, then the caller dies / sees an error
      await expect(w.processImage.execute(ID)).rejects.toThrow(/injected ambiguous/);
      const image = (await w.table.get(ID))!;
      expect(image.state).toBe('processed');
      expect(w.store.has(image.processedS3Key!)).toBe(objectExists);
      // The redelivered message finds the image done: nothing will store the object now.
      await expect(w.processImage.execute(ID)).resolves.toBe('already-done');
      expect(w.store.has(image.processedS3Key!)).toBe(objectExists);
    }
  });

  it('copy-not-sepia: the processed object is the raw bytes, not their sepia rendering', async () => {
    for (const [adversary, copied] of [
      [NO_ADVERSARY, false],
      [mutant('copy-not-sepia'), true],
    ] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('uploaded'));
      await w.store.put(anImage('uploaded').rawS3Key!, stagedUpload('jpeg bytes').open(), 'image/jpeg');
      await expect(w.processImage.execute(ID)).resolves.toBe('processed');
      const processed = await buffer(await w.store.get((await w.table.get(ID))!.processedS3Key!));
      expect(processed.equals(Buffer.from('jpeg bytes'))).toBe(copied);
      expect(processed.equals(sepiaOf(Buffer.from('jpeg bytes')))).toBe(!copied);
    }
  });

  it('raw-key-not-content-addressed: the raw key names a hash other than the SHA-256 of the bytes stored under it', async () => {
    for (const [adversary, matches] of [
      [NO_ADVERSARY, true],
      [mutant('raw-key-not-content-addressed'), false],
    ] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('created'));
      const upload = stagedUpload('jpeg bytes');
      const { image } = await w.uploadImage.execute(ID, upload);
      const bytes = await buffer(await w.store.get(image.rawS3Key!));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect(sha256).toBe(upload.sha256);
      expect(image.rawS3Key === rawKeyOf(ID, sha256)).toBe(matches);
      expect(image.state).toBe('uploaded');
    }
  });

  it('upload-not-inspected: a file that is not an image is acknowledged and recorded uploaded', async () => {
    for (const [adversary, accepted] of [
      [NO_ADVERSARY, false],
      [mutant('upload-not-inspected'), true],
    ] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('created'));
      const answer = w.uploadImage.execute(ID, stagedUpload(`${NOT_AN_IMAGE} plain text`));
      if (accepted) expect((await answer).image.state).toBe('uploaded');
      else await expect(answer).rejects.toThrow(/not an image/);
      expect((await w.table.get(ID))!.state).toBe(accepted ? 'uploaded' : 'created');
    }
  });
  it('no-version-condition: the sweep claims from its stale page and rolls back the version and attempts counted since', async () => {
    for (const [adversary, claimed] of [
      [NO_ADVERSARY, false],
      [mutant('no-version-condition'), true],
    ] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('uploaded'));
      const worker = new ProcessImage(w.ports.table, w.ports.store, w.ports.filter, w.ports.clock, { maxAttempts: 10 });
      // While the sweep's page (v1) is on its way, the worker's job fails twice on S3 and counts it: v3, 2 attempts.
      const slowPage = override(w.ports.table, {
        async listStale(...args: Parameters<typeof w.ports.table.listStale>) {
          const page = await w.ports.table.listStale(...args);
          for (let i = 0; i < 2; i++) {
            w.plan.failNext('store.get', 'error');
            await expect(worker.execute(ID)).rejects.toThrow(/injected error/);
          }
          expect(await w.table.get(ID)).toMatchObject({ version: 3, attempts: 2 });
          return page;
        },
      });
      const sweep = new RepairStuckImages(slowPage, w.ports.queue, w.ports.clock, { stuckAfterMs: 0, batchSize: 10 }, { maxAttempts: 10 });
      expect(await sweep.execute()).toEqual(claimed ? [ID] : []);
      expect(await w.table.get(ID)).toMatchObject(claimed ? { version: 2, attempts: 1 } : { version: 3, attempts: 2 });
    }
  });

  it('no-create-condition: a late create answers 201 again and resets an uploaded image to created, version 0', async () => {
    for (const [adversary, reset] of [
      [NO_ADVERSARY, false],
      [mutant('no-create-condition'), true],
    ] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('created', { version: 0 }));
      await w.uploadImage.execute(ID, stagedUpload('jpeg bytes'));
      const late = await w.createImage.execute(ID);
      expect(late.created).toBe(reset);
      expect(late.image).toMatchObject(reset ? { state: 'created', version: 0 } : { state: 'uploaded', version: 1 });
      expect(await w.table.get(ID)).toMatchObject(reset ? { state: 'created', version: 0 } : { state: 'uploaded', version: 1 });
    }
    // A first create is still a create in both builds.
    const w = adversaryWorld(mutant('no-create-condition'));
    await expect(w.createImage.execute(ID)).resolves.toMatchObject({ created: true, image: { state: 'created', version: 0 } });
  });
});
