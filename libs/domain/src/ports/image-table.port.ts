import { Image, ImageState } from '../image';

/** The table of image processes. Every write is conditional. */
export interface ImageTable {
  /** Stores the image unless one with its id exists; either way returns what is stored. */
  create(image: Image): Promise<{ image: Image; created: boolean }>;
  /** Strongly consistent read. */
  get(id: string): Promise<Image | undefined>;
  /**
   * Writes `next` only if the stored item still has `expectedVersion` and a state in
   * `fromStates`; otherwise throws VersionConflictError (the caller re-reads and decides).
   */
  update(next: Image, expectedVersion: number, fromStates: readonly ImageState[]): Promise<Image>;
  /** Images in `state` last written before `updatedBefore` (epoch ms), oldest first, through the state index. */
  listStale(state: ImageState, updatedBefore: number, limit: number): Promise<Image[]>;
}
