import { AlreadyUploadedError, TransitionNotAllowedError } from './errors';
import { IMAGE_STATES, Image, ImageState } from './image';
import { ALLOWED_FROM, Transition, applyTransition, canTransition, changesOf } from './state-machine';
import { thrownBy } from '@imagery/testing/thrown-by';

const ID = '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c';

/** The design: uploaded from created|uploaded, processed from uploaded|processed, failed from uploaded|failed. */
const DESIGN: Record<Transition['to'], ImageState[]> = {
  uploaded: ['created', 'uploaded'],
  processed: ['uploaded', 'processed'],
  failed: ['uploaded', 'failed'],
};

const TRANSITIONS: Record<Transition['to'], Transition> = {
  uploaded: { to: 'uploaded', rawS3Key: 'upload/x' },
  processed: { to: 'processed', processedS3Key: 'processed/x.jpg' },
  failed: { to: 'failed', reason: 'undecodable: corrupt' },
};

// Images past `created` hold an upload: the one the uploaded transition names (so uploaded → uploaded is a retry).
const imageIn = (state: ImageState): Image => ({
  id: ID,
  version: 3,
  state,
  createdAt: 100,
  updatedAt: 200,
  ...(state === 'created' ? {} : { rawS3Key: (TRANSITIONS.uploaded as { rawS3Key: string }).rawS3Key }),
});

const pairs = IMAGE_STATES.flatMap((from) =>
  (Object.keys(TRANSITIONS) as Transition['to'][]).map((to) => ({ from, to, allowed: DESIGN[to].includes(from) })),
);

describe('state machine', () => {
  it('allows exactly the transitions of the design', () => {
    expect(ALLOWED_FROM).toEqual(DESIGN);
  });

  it.each(pairs.filter((p) => p.allowed))('$from → $to is allowed and bumps the version', ({ from, to }) => {
    const before = imageIn(from);
    const after = applyTransition(before, TRANSITIONS[to], 999);
    expect(canTransition(from, to)).toBe(true);
    expect(after).toEqual({ ...before, ...changesOf(TRANSITIONS[to]), state: to, version: 4, updatedAt: 999 });
    expect(before).toEqual(imageIn(from)); // pure: the input is untouched
  });

  it('uploaded → uploaded with other content is refused: the first accepted upload stays', () => {
    const other: Transition = { to: 'uploaded', rawS3Key: 'upload/other-content' };
    expect(() => applyTransition(imageIn('uploaded'), other, 999)).toThrow(AlreadyUploadedError);
  });

  it.each(pairs.filter((p) => !p.allowed))('$from → $to throws TransitionNotAllowedError', ({ from, to }) => {
    expect(canTransition(from, to)).toBe(false);
    const attempt = () => applyTransition(imageIn(from), TRANSITIONS[to], 999);
    expect(attempt).toThrow(TransitionNotAllowedError);
    expect(thrownBy(attempt)).toMatchObject({ id: ID, from, to, code: 'transition_not_allowed' });
  });

  it('keeps the fields earlier transitions wrote', () => {
    const uploaded = applyTransition(imageIn('created'), TRANSITIONS.uploaded, 1);
    const processed = applyTransition(uploaded, TRANSITIONS.processed, 2);
    expect(processed).toMatchObject({ rawS3Key: 'upload/x', processedS3Key: 'processed/x.jpg', createdAt: 100, version: 5 });
  });

  it('writes the reason of a failure', () => {
    expect(applyTransition(imageIn('uploaded'), TRANSITIONS.failed, 1).failureReason).toBe('undecodable: corrupt');
  });

  it('names the fields each transition writes', () => {
    expect(changesOf(TRANSITIONS.uploaded)).toEqual({ rawS3Key: 'upload/x' });
    expect(changesOf(TRANSITIONS.processed)).toEqual({ processedS3Key: 'processed/x.jpg' });
    expect(changesOf(TRANSITIONS.failed)).toEqual({ failureReason: 'undecodable: corrupt' });
  });
});
