import { Image } from '../image';
import { processedKeyOf, rawKeyOf } from '../object-keys';
import { sepiaOf } from './fake-image-filter';
import { FIXTURE_SHA256, IMAGE_IDS, anImage } from './image-fixtures';
import { InvariantName, checkInvariants } from './invariants';
import { ClientEvent, RunRecord } from './sim-history';

const ID = IMAGE_IDS[0];
const RAW = Buffer.from('IMG-x');

const event = (seq: number, op: ClientEvent['op'], image?: Image, extra: Partial<ClientEvent> = {}): ClientEvent => ({
  seq,
  id: ID,
  op,
  ok: image !== undefined,
  image,
  ...extra,
});

/** A correct run: created, uploaded (acknowledged), processed, drained. */
function cleanRun(): RunRecord {
  return {
    clients: [{ id: ID, expected: { state: 'processed', rendering: sepiaOf(RAW) } }],
    events: [
      event(0, 'create', anImage('created'), { created: true }),
      event(1, 'create', anImage('created'), { created: false }),
      event(2, 'upload', anImage('uploaded'), { enqueued: true }),
      event(3, 'get', anImage('processed')),
    ],
    items: [anImage('processed')],
    objects: [
      { key: rawKeyOf(ID, FIXTURE_SHA256), bytes: RAW },
      { key: processedKeyOf(ID), bytes: sepiaOf(RAW) },
    ],
    pendingMessages: 0,
    deadLetters: [],
  };
}

const namesOf = (run: RunRecord) => [...new Set(checkInvariants(run).map((v) => v.invariant))].sort();

describe('checkInvariants', () => {
  it('finds nothing wrong in a correct run', () => {
    expect(checkInvariants(cleanRun())).toEqual([]);
  });

  it.each<[string, (run: RunRecord) => RunRecord, InvariantName[]]>([
    [
      'an acknowledged upload left uploaded',
      (r) => ({ ...r, items: [anImage('uploaded')], objects: r.objects.slice(0, 1), events: r.events.slice(0, 3) }),
      ['nothing-lost'],
    ],
    ['an acknowledged create with no item', (r) => ({ ...r, items: [], objects: [] }), ['nothing-lost']],
    ['a processed item without its object', (r) => ({ ...r, objects: r.objects.slice(0, 1) }), ['nothing-lost']],
    [
      'a processed object that is not the rendering of the upload',
      (r) => ({ ...r, objects: [r.objects[0], { key: processedKeyOf(ID), bytes: sepiaOf('IMG-other') }] }),
      ['nothing-lost'],
    ],
    [
      'an undecodable upload that ended processed',
      (r) => ({ ...r, clients: [{ id: ID, expected: { state: 'failed' } }] }),
      ['nothing-lost'],
    ],
    [
      'a failed image without a reason',
      (r) => ({
        ...r,
        clients: [{ id: ID, expected: { state: 'failed' } }],
        items: [anImage('failed', { failureReason: undefined })],
        objects: [],
        events: r.events.slice(0, 3),
      }),
      ['nothing-lost'],
    ],
    [
      'an acknowledged upload of something that is not an image',
      (r) => ({ ...r, clients: [{ id: ID, expected: { state: 'refused' } }] }),
      ['nothing-lost'],
    ],
    [
      'two creates that both created',
      (r) => ({ ...r, events: r.events.map((e) => (e.seq === 1 ? { ...e, created: true } : e)) }),
      ['nothing-duplicated'],
    ],
    [
      'creates that returned different items',
      (r) => ({ ...r, events: r.events.map((e) => (e.seq === 1 ? { ...e, image: anImage('created', { createdAt: 1 }) } : e)) }),
      ['nothing-duplicated'],
    ],
    [
      'an item nobody asked for (the same id in another case)',
      (r) => ({ ...r, items: [...r.items, anImage('created', { id: ID.toUpperCase() })] }),
      ['nothing-duplicated'],
    ],
    [
      'an orphan processed object',
      (r) => ({ ...r, objects: [...r.objects, { key: `processed/${ID}-1712.jpg`, bytes: sepiaOf(RAW) }] }),
      ['nothing-duplicated'],
    ],
    [
      'a version going backwards',
      (r) => ({ ...r, events: [...r.events, event(4, 'get', anImage('uploaded', { version: 1 }))], items: [anImage('processed', { version: 1 })] }),
      ['monotonic'],
    ],
    [
      'one version seen with two states',
      (r) => ({ ...r, events: [...r.events, event(4, 'get', anImage('uploaded', { version: 2 }))] }),
      ['monotonic'],
    ],
    [
      'processed turning into failed',
      (r) => ({ ...r, events: [...r.events, event(4, 'get', anImage('failed', { version: 3 }))], items: [anImage('failed', { version: 3 })] }),
      ['monotonic', 'nothing-duplicated', 'nothing-lost'],
    ],
    [
      'created read after an acknowledged upload',
      (r) => ({ ...r, events: [...r.events.slice(0, 3), event(3, 'get', anImage('created', { version: 5 }))], items: [anImage('processed', { version: 6 })] }),
      ['acknowledged-durable', 'monotonic'],
    ],
    [
      'not found after an acknowledged create',
      (r) => ({ ...r, events: [...r.events, event(4, 'get', undefined, { error: 'image_not_found' })] }),
      ['acknowledged-durable'],
    ],
    ['messages left in the queue', (r) => ({ ...r, pendingMessages: 2 }), ['drained']],
    ['a dead letter', (r) => ({ ...r, deadLetters: [JSON.stringify({ imageId: ID })] }), ['drained']],
  ])('reports %s', (_, breakRun, expected) => {
    expect(namesOf(breakRun(cleanRun()))).toEqual([...expected].sort());
  });

  it('names the image and says what it saw', () => {
    const run = { ...cleanRun(), events: [...cleanRun().events, event(4, 'get', anImage('uploaded', { version: 1 }))] };
    expect(checkInvariants(run)).toContainEqual({
      invariant: 'monotonic',
      id: ID,
      detail: 'observed v2 processed then v1 uploaded',
    });
  });
});
