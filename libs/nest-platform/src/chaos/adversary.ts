import type { PlatformAdapters } from '@imagery/aws-adapters';
import { ImageFilter, systemClock } from '@imagery/domain';
import { Provider } from '@nestjs/common';
import { PLATFORM_ADAPTERS } from '../platform-adapters.token';
import { Adversary, NO_ADVERSARY, UseCasePorts } from './adversary-contract';
import { defaultAdversariesPlugin, loadAdversariesPlugin } from './adversary-plugin';
import { chaosBuildLabel, chaosConfigFrom, chaosEnvSchema } from './chaos-config';
import type { z } from 'zod';

/** The contract an adversary keeps (libs/adversaries import it from here) and where the plugin is found. */
export * from './adversary-contract';
export { defaultAdversariesPlugin } from './adversary-plugin';

/** Injection tokens of the instance's adversary (NO_ADVERSARY for the real build) and its ports. */
export const ADVERSARY = Symbol('ADVERSARY');
export const USE_CASE_PORTS = Symbol('USE_CASE_PORTS');

/**
 * The one way into libs/adversaries: a plugin loaded by path, only when chaos mode is on and a
 * non-real build is asked for (chaosConfigFrom refuses CHAOS_BUILD otherwise). The production code
 * path never loads the module, and no production module names it.
 */
export async function loadAdversary(env: z.infer<typeof chaosEnvSchema>): Promise<Adversary> {
  const { build } = chaosConfigFrom(env);
  if (build.kind === 'real') return NO_ADVERSARY;
  const label = chaosBuildLabel(build);
  const plugin = await loadAdversariesPlugin(env.CHAOS_ADVERSARIES_PLUGIN ?? defaultAdversariesPlugin, label);
  const adversary = plugin.adversaryFor(build);
  if (adversary.label !== label) throw new Error(`CHAOS_BUILD=${label} loaded ${adversary.label}`);
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
