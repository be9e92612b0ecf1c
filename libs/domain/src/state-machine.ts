import { AlreadyUploadedError, TransitionNotAllowedError } from './errors';
import { Image, ImageState } from './image';

/**
 * Which states each target state may be entered from. A target is always allowed from itself,
 * so a retry of a half-done transition succeeds (idempotency) instead of failing.
 */
export const ALLOWED_FROM: Readonly<Record<Exclude<ImageState, 'created'>, readonly ImageState[]>> = {
  uploaded: ['created', 'uploaded'],
  processed: ['uploaded', 'processed'],
  failed: ['uploaded', 'failed'],
};

export type Transition =
  | { readonly to: 'uploaded'; readonly rawS3Key: string }
  | { readonly to: 'processed'; readonly processedS3Key: string }
  | { readonly to: 'failed'; readonly reason: string };

/** The fields a transition writes, besides state, version and updatedAt. */
export type TransitionChanges = Partial<Pick<Image, 'rawS3Key' | 'processedS3Key' | 'failureReason'>>;

export function changesOf(t: Transition): TransitionChanges {
  switch (t.to) {
    case 'uploaded':
      return { rawS3Key: t.rawS3Key };
    case 'processed':
      return { processedS3Key: t.processedS3Key };
    case 'failed':
      return { failureReason: t.reason };
  }
}

export function canTransition(from: ImageState, to: Transition['to']): boolean {
  return ALLOWED_FROM[to].includes(from);
}

/** Pure: the image after the transition, or a TransitionNotAllowedError. */
export function applyTransition(image: Image, t: Transition, now: number): Image {
  if (!canTransition(image.state, t.to)) throw new TransitionNotAllowedError(image.id, image.state, t.to);
  // uploaded → uploaded is a retry only when it is the same content (the same content-addressed key).
  if (t.to === 'uploaded' && image.state === 'uploaded' && image.rawS3Key !== t.rawS3Key) throw new AlreadyUploadedError(image.id);
  return { ...image, ...changesOf(t), state: t.to, version: image.version + 1, updatedAt: now };
}
