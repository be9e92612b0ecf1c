import type { Clock, CreateImage, ImageFilter, ImageQueue, ImageTable, ObjectStore, ProcessImage, UploadImage } from '@imagery/domain';
import type { ChaosBuild } from './chaos-config';

/** The ports the use cases are built on (and the worker's poller reads from). */
export interface UseCasePorts {
  readonly table: ImageTable;
  readonly store: ObjectStore;
  readonly queue: ImageQueue;
  readonly filter: ImageFilter;
  readonly clock: Clock;
}

/** What a use case is to the app: something with the real one's `execute`. */
export type UseCase<T extends { execute(...args: never[]): unknown }> = Pick<T, 'execute'>;

/**
 * A build the checker must catch (libs/adversaries): the seed's own code path, or the real build
 * with one deliberate defect. It changes only what it names; everything else is the real build.
 */
export interface Adversary {
  /** `seed` or `mutant:<name>`; `real` for no adversary. */
  readonly label: string;
  /** Decorates the ports once per instance (a mutant's defect often lives in a decorator). */
  decorate?(ports: UseCasePorts): UseCasePorts;
  createImage?(ports: UseCasePorts): UseCase<CreateImage>;
  uploadImage?(ports: UseCasePorts): UseCase<UploadImage>;
  processImage?(ports: UseCasePorts): UseCase<ProcessImage>;
  /** False: the worker runs no repair sweep. */
  readonly repairSweep?: boolean;
}

export const NO_ADVERSARY: Adversary = { label: 'real' };

/** What the adversaries plugin (libs/adversaries) exports: the adversary an instance runs for a non-real CHAOS_BUILD. */
export interface AdversaryPlugin {
  adversaryFor(build: Exclude<ChaosBuild, { kind: 'real' }>): Adversary;
}
