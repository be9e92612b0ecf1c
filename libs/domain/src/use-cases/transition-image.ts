import { reached } from '../coverage/reached';
import { ImageNotFoundError, VersionConflictError } from '../errors';
import { Image } from '../image';
import { Clock } from '../ports/clock.port';
import { ImageTable } from '../ports/image-table.port';
import { ALLOWED_FROM, Transition, applyTransition, changesOf } from '../state-machine';

const MAX_ATTEMPTS = 8;

/**
 * Optimistic locking: read, decide with the pure state machine, write conditionally on the
 * version read; a lost race re-reads and decides again. A transition whose effect is already
 * stored (a retry, a duplicate message, an ambiguous write that did land) returns the stored
 * item without writing again.
 *
 * `known` is the item as the caller already read it (or as its message carried it): the first
 * decision is made on it without reading again. That is safe because every write bumps the
 * version, so one version names one content: the write's version condition checks exactly what a
 * read would have, and a ConditionalCheckFailed (VersionConflictError) re-reads and decides.
 */
export async function transitionImage(table: ImageTable, clock: Clock, id: string, t: Transition, known?: Image): Promise<Image> {
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && known?.id === id ? known : await table.get(id);
    if (!current) throw new ImageNotFoundError(id);
    if (alreadyApplied(current, t)) return foundApplied(current, t, attempt);
    const next = applyTransition(current, t, clock.now());
    try {
      return await table.update(next, current.version, ALLOWED_FROM[t.to]);
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw err;
      reached(current === known ? 'stale-copy-reread' : 'version-conflict-reread', t.to);
    }
  }
}

/** A retry's first read (an upload retried), or a lost write's re-read (an ambiguous write that landed), found the effect stored. */
function foundApplied(stored: Image, t: Transition, attempt: number): Image {
  if (attempt > 1) reached('ambiguous-write-found-applied', t.to);
  else if (t.to === 'uploaded') reached('upload-retry-found-uploaded');
  return stored;
}

function alreadyApplied(image: Image, t: Transition): boolean {
  if (image.state !== t.to) return false;
  return Object.entries(changesOf(t)).every(([field, value]) => image[field as keyof Image] === value);
}
