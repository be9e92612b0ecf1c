import { IMAGE_IDS, UNDECODABLE, anImage, stagedUpload } from '@imagery/domain/testing';
import { NO_ADVERSARY } from '@imagery/nest-platform';
import { adversaryWorld } from '../../test/adversary-world';
import { MUTANTS, adversaryFor, mutantNamed } from '../registry';

const ID = IMAGE_IDS[0];
const mutant = (name: string) => adversaryFor({ kind: 'mutant', name });
/** Lets work the use case left running after its answer (a background promise) settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the mutant registry', () => {
  it('holds at least eight mutants, each named once, described, with the experiments meant to catch it', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(8);
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
    expect(() => mutantNamed('no-such-defect')).toThrow(/unknown mutant "no-such-defect"; known: no-version-condition/);
  });
});

describe('each mutant has its one defect (against the in-memory fakes), where the real build has none', () => {
  it('no-version-condition: a transition written on a stale version lands', async () => {
    for (const [adversary, lands] of [[NO_ADVERSARY, false], [mutant('no-version-condition'), true]] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('uploaded', { version: 3 }));
      const stale = w.ports.table.update({ ...anImage('uploaded', { version: 2 }) }, 1, ['uploaded']);
      if (lands) expect((await stale).version).toBe(2); // version 3 went back to 2
      else await expect(stale).rejects.toThrow(/changed concurrently/);
    }
  });

  it('no-state-condition: a transition lands from a state it is not allowed from', async () => {
    for (const [adversary, lands] of [[NO_ADVERSARY, false], [mutant('no-state-condition'), true]] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('processed'));
      const regress = w.ports.table.update(anImage('uploaded', { version: 3 }), 2, ['created', 'uploaded']);
      if (lands) expect((await regress).state).toBe('uploaded');
      else await expect(regress).rejects.toThrow(/changed concurrently/);
    }
  });

  it('timestamped-processed-key: a render repeated after a failed transition leaves a second processed object', async () => {
    for (const [adversary, objects] of [[NO_ADVERSARY, 1], [mutant('timestamped-processed-key'), 2]] as const) {
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

  it('delete-before-transition: the message is gone before the job ran, so a job that dies loses it', async () => {
    for (const [adversary, left] of [[NO_ADVERSARY, 1], [mutant('delete-before-transition'), 0]] as const) {
      const w = adversaryWorld(adversary);
      await w.ports.queue.send({ imageId: ID });
      const [message] = await w.ports.queue.receive(1, 0, undefined, 10);
      expect(JSON.parse(message.body)).toEqual({ imageId: ID });
      // The job dies here; after the visibility timeout the real build gets the message back.
      w.clock.advance(60_000);
      expect(w.queue.messages()).toHaveLength(left);
    }
  });

  it('ack-before-durable: an upload is acknowledged although storing it failed, and the image stays created', async () => {
    for (const [adversary, acknowledged] of [[NO_ADVERSARY, false], [mutant('ack-before-durable'), true]] as const) {
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
    for (const [adversary, state] of [[NO_ADVERSARY, 'uploaded'], [mutant('any-error-is-permanent'), 'failed']] as const) {
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

  it('no-reread-before-processing: a duplicate message for a processed image renders and stores again', async () => {
    for (const [adversary, renders] of [[NO_ADVERSARY, 0], [mutant('no-reread-before-processing'), 1]] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('processed'));
      await w.store.put(anImage('processed').rawS3Key!, stagedUpload('jpeg bytes').open(), 'image/jpeg');
      await w.processImage.execute(ID);
      expect(w.filter.sepiaCalls).toBe(renders);
    }
  });

  it('processed-before-stored: a failure after the transition leaves a processed image without its object', async () => {
    for (const [adversary, objectExists] of [[NO_ADVERSARY, true], [mutant('processed-before-stored'), false]] as const) {
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

  it('no-create-condition: a retried create answers 201 again and resets an uploaded image to created', async () => {
    for (const [adversary, broken] of [[NO_ADVERSARY, false], [mutant('no-create-condition'), true]] as const) {
      const w = adversaryWorld(adversary);
      w.table.seed(anImage('uploaded'));
      const { created } = await w.createImage.execute(ID);
      expect(created).toBe(broken);
      expect((await w.table.get(ID))!.state).toBe(broken ? 'created' : 'uploaded');
    }
  });
});
