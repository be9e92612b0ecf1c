import type { PlatformAdapters } from '@imagery/aws-adapters';
import {
  Clock,
  CreateImage,
  ImageFilter,
  ImageQueue,
  ImageTable,
  ObjectStore,
  ProcessImage,
  UploadImage,
  systemClock,
} from '@imagery/domain';
import { Provider } from '@nestjs/common';
import { PLATFORM_ADAPTERS } from '../platform-adapters.token';
import { chaosBuildLabel, chaosConfigFrom, chaosEnvSchema } from './chaos-config';
import type { z } from 'zod';

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

/** Injection tokens of the instance's adversary (NO_ADVERSARY for the real build) and its ports. */
export const ADVERSARY = Symbol('ADVERSARY');
export const USE_CASE_PORTS = Symbol('USE_CASE_PORTS');

/**
 * The one way into libs/adversaries: a dynamic import, taken only when chaos mode is on and a
 * non-real build is asked for (chaosConfigFrom refuses CHAOS_BUILD otherwise). The production code
 * path never loads the module.
 */
export async function loadAdversary(env: z.infer<typeof chaosEnvSchema>): Promise<Adversary> {
  const { build } = chaosConfigFrom(env);
  if (build.kind === 'real') return NO_ADVERSARY;
  const { adversaryFor } = await import('@imagery/adversaries');
  const adversary = adversaryFor(build);
  if (adversary.label !== chaosBuildLabel(build)) throw new Error(`CHAOS_BUILD=${chaosBuildLabel(build)} loaded ${adversary.label}`);
  return adversary;
}

/** The adversary and the (possibly decorated) ports, as providers; the app builds its use cases on them. */
export function adversaryProviders(env: z.infer<typeof chaosEnvSchema>, filter: () => ImageFilter): Provider[] {
  return [
    { provide: ADVERSARY, useFactory: () => loadAdversary(env) },
    {
      provide: USE_CASE_PORTS,
      inject: [PLATFORM_ADAPTERS, ADVERSARY],
      useFactory: (a: PlatformAdapters, adversary: Adversary): UseCasePorts => {
        const real: UseCasePorts = { table: a.table, store: a.store, queue: a.queue, filter: filter(), clock: systemClock };
        return adversary.decorate?.(real) ?? real;
      },
    },
  ];
}
