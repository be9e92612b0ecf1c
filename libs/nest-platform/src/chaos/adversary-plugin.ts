import { join } from 'node:path';
import type { AdversaryPlugin } from './adversary-contract';

/**
 * Where the plugin lies when CHAOS_ADVERSARIES_PLUGIN does not say: libs/adversaries/src, found from
 * this file's own place (libs/nest-platform/src/chaos), the same in the tree and in the build. The
 * release artifact does not hold it, so an adversary cannot run from there.
 */
export const defaultAdversariesPlugin = join(__dirname, '..', '..', '..', 'adversaries', 'src');

const isPlugin = (loaded: unknown): loaded is AdversaryPlugin =>
  typeof loaded === 'object' && loaded !== null && typeof (loaded as Partial<AdversaryPlugin>).adversaryFor === 'function';

/**
 * Loads the plugin by a path known only at run time, so no production module names it: the
 * production code path (the real build) never reaches this.
 */
export async function loadAdversariesPlugin(path: string, label: string): Promise<AdversaryPlugin> {
  let loaded: unknown;
  try {
    loaded = await import(path);
  } catch (err) {
    throw new Error(
      `CHAOS_BUILD=${label} needs the adversaries plugin (libs/adversaries), not loadable from ${path}: ` +
        `a release artifact does not hold it; run a development build or set CHAOS_ADVERSARIES_PLUGIN (${(err as Error).message})`,
      { cause: err },
    );
  }
  if (!isPlugin(loaded)) throw new Error(`${path} is not the adversaries plugin: it exports no adversaryFor`);
  return loaded;
}
