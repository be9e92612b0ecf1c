import { Image, ImageState } from '../image';
import { PROCESSED_PREFIX } from '../object-keys';
import { ClientEvent, ClientRecord, RunRecord } from './sim-history';

export type InvariantName = 'nothing-lost' | 'nothing-duplicated' | 'monotonic' | 'drained' | 'acknowledged-durable';

export interface Violation {
  readonly invariant: InvariantName;
  readonly id?: string;
  readonly detail: string;
}

/**
 * The design's invariants over one run (history + final state, after the drain). Returns every
 * violation found; an empty list means the run is correct.
 */
export function checkInvariants(run: RunRecord): Violation[] {
  const items = new Map(run.items.map((item) => [item.id, item]));
  return [
    ...run.clients.flatMap((client) => checkClient(client, eventsOf(run, client.id), items.get(client.id), run)),
    ...checkNoUnrequestedItems(run),
    ...checkProcessedObjects(run, items),
    ...checkDrained(run),
  ];
}

function checkClient(client: ClientRecord, events: ClientEvent[], item: Image | undefined, run: RunRecord): Violation[] {
  return [
    ...checkNothingLost(client, events, item, run),
    ...checkCreatedOnce(client, events),
    ...checkMonotonic(client, events, item),
    ...checkAcknowledgedDurable(client, events, item),
  ];
}

/** 1. Every acknowledged create has its item; every acknowledged upload ended where its bytes say. */
function checkNothingLost(client: ClientRecord, events: ClientEvent[], item: Image | undefined, run: RunRecord): Violation[] {
  const lost = (detail: string): Violation[] => [{ invariant: 'nothing-lost', id: client.id, detail }];
  const acked = (op: ClientEvent['op']) => events.some((e) => e.op === op && e.ok);
  if (acked('create') && !item) return lost('an acknowledged create has no item');
  if (!acked('upload')) return [];
  if (!item) return lost('an acknowledged upload has no item');
  const expected = client.expected;
  if (expected.state === 'refused') return lost('an upload that is not an image was acknowledged');
  if (item.state !== expected.state) return lost(`acknowledged upload ended ${item.state}, expected ${expected.state}`);
  if (expected.state === 'failed') return item.failureReason ? [] : lost('failed without a reason');
  const key = item.processedS3Key;
  const rendering = key === undefined ? undefined : run.objects.find((o) => o.key === key)?.bytes;
  if (!rendering) return lost(`processed but no object at ${key}`);
  if (!rendering.equals(expected.rendering)) return lost(`the object at ${key} is not the rendering of the upload`);
  return [];
}

/** 2. One item per client id: at most one create reported `created`, and every create saw the same item. */
function checkCreatedOnce(client: ClientRecord, events: ClientEvent[]): Violation[] {
  const creates = events.filter((e) => e.op === 'create' && e.ok);
  const violations: Violation[] = [];
  if (creates.filter((e) => e.created).length > 1) {
    violations.push({ invariant: 'nothing-duplicated', id: client.id, detail: 'created more than once' });
  }
  if (new Set(creates.map((e) => e.image?.createdAt)).size > 1) {
    violations.push({ invariant: 'nothing-duplicated', id: client.id, detail: 'creates returned different items' });
  }
  return violations;
}

const RANK: Record<ImageState, number> = { created: 0, uploaded: 1, processed: 2, failed: 2 };

/** 3. The (version, state) the client observed, then the final item, never goes backwards. */
function checkMonotonic(client: ClientRecord, events: ClientEvent[], item: Image | undefined): Violation[] {
  const seen = [...events.flatMap((e) => (e.image ? [e.image] : [])), ...(item ? [item] : [])];
  const violations: Violation[] = [];
  for (let i = 1; i < seen.length; i++) {
    const [before, after] = [seen[i - 1], seen[i]];
    const backwards =
      after.version < before.version ||
      RANK[after.state] < RANK[before.state] ||
      (RANK[after.state] === RANK[before.state] && after.state !== before.state) ||
      (after.version === before.version && after.state !== before.state);
    if (backwards) {
      violations.push({
        invariant: 'monotonic',
        id: client.id,
        detail: `observed v${before.version} ${before.state} then v${after.version} ${after.state}`,
      });
    }
  }
  return violations;
}

/** 5. After an acknowledged upload nothing reads `created`; after an acknowledged create nothing reads "not found". */
function checkAcknowledgedDurable(client: ClientRecord, events: ClientEvent[], item: Image | undefined): Violation[] {
  const violations: Violation[] = [];
  const durable = (detail: string) => violations.push({ invariant: 'acknowledged-durable', id: client.id, detail });
  let uploaded = false;
  let created = false;
  for (const e of events) {
    if (uploaded && e.image?.state === 'created') durable(`read created after an acknowledged upload (event ${e.seq})`);
    if (created && e.error === 'image_not_found') durable(`not found after an acknowledged create (event ${e.seq})`);
    if (e.ok && e.op === 'upload') uploaded = true;
    if (e.ok) created = true;
  }
  if (uploaded && item?.state === 'created') durable('the final item is created after an acknowledged upload');
  return violations;
}

/** 2. No item nobody asked for. */
function checkNoUnrequestedItems(run: RunRecord): Violation[] {
  const requested = new Set(run.events.filter((e) => e.op === 'create').map((e) => e.id));
  return run.items
    .filter((item) => !requested.has(item.id))
    .map((item) => ({ invariant: 'nothing-duplicated' as const, id: item.id, detail: 'an item nobody created' }));
}

/** 2. Every object under the processed prefix is the processedS3Key of one processed item. */
function checkProcessedObjects(run: RunRecord, items: Map<string, Image>): Violation[] {
  const owners = new Map(
    [...items.values()].filter((i) => i.state === 'processed' && i.processedS3Key).map((i) => [i.processedS3Key!, i.id]),
  );
  return run.objects
    .filter((o) => o.key.startsWith(PROCESSED_PREFIX) && !owners.has(o.key))
    .map((o) => ({ invariant: 'nothing-duplicated' as const, detail: `orphan processed object ${o.key}` }));
}

/** 4. The queue is empty and nothing went to the dead-letter queue. */
function checkDrained(run: RunRecord): Violation[] {
  const violations: Violation[] = [];
  if (run.pendingMessages > 0) {
    violations.push({ invariant: 'drained', detail: `${run.pendingMessages} message(s) left in the queue` });
  }
  for (const body of run.deadLetters) violations.push({ invariant: 'drained', detail: `dead letter ${body}` });
  return violations;
}

function eventsOf(run: RunRecord, id: string): ClientEvent[] {
  return run.events.filter((e) => e.id === id).sort((a, b) => a.seq - b.seq);
}
