import { envBoolean, parseFaultRules, FaultRule } from '@imagery/aws-adapters';
import { z } from 'zod';

export const chaosEnvSchema = z.object({
  /** Fault injection and its control endpoints exist only when this is on (as under `npm start`). */
  CHAOS_MODE: envBoolean.default('false'),
  /** The same seed gives the same fault decisions. */
  CHAOS_SEED: z.coerce.number().int().default(1),
  /** Fault rules active from the start (JSON array); a replacement instance gets the live set here. */
  FAULT_RULES: z.string().default('[]'),
  /**
   * Which build of the use cases runs: `real`, or an adversary the checker must catch (libs/adversaries):
   * `seed` (the book's own code path) or `mutant:<name>` (the real build with one deliberate defect).
   */
  CHAOS_BUILD: z.string().default('real'),
  /** Where the adversaries plugin is loaded from for a non-real CHAOS_BUILD; by default libs/adversaries/src beside this library. */
  CHAOS_ADVERSARIES_PLUGIN: z.string().min(1).optional(),
  /** Where this instance appends every fault it injects (JSON Lines, one history entry each); set by the fleet. */
  CHAOS_FAULT_LOG: z.string().min(1).optional(),
  /** The fleet slot's generation of this instance (0, then +1 per replacement), for the fault log. */
  INSTANCE_GENERATION: z.coerce.number().int().min(0).default(0),
  NODE_ENV: z.string().optional(),
});

/** The build an instance runs; anything but `real` is loaded from libs/adversaries, in chaos mode only. */
export type ChaosBuild = { readonly kind: 'real' } | { readonly kind: 'seed' } | { readonly kind: 'mutant'; readonly name: string };

export interface ChaosConfig {
  readonly enabled: boolean;
  readonly seed: number;
  readonly rules: FaultRule[];
  readonly build: ChaosBuild;
  readonly faultLog?: string;
  readonly generation: number;
}

export function chaosConfigFrom(env: z.infer<typeof chaosEnvSchema>): ChaosConfig {
  if (env.CHAOS_MODE && env.NODE_ENV === 'production') {
    throw new Error('CHAOS_MODE is refused in a production build (NODE_ENV=production)');
  }
  let rules: FaultRule[];
  try {
    rules = parseFaultRules(JSON.parse(env.FAULT_RULES));
  } catch (err) {
    throw new Error(`FAULT_RULES is not a valid list of fault rules: ${(err as Error).message}`, { cause: err });
  }
  if (!env.CHAOS_MODE && rules.length > 0) throw new Error('FAULT_RULES needs CHAOS_MODE=true');
  const build = parseChaosBuild(env.CHAOS_BUILD);
  if (build.kind !== 'real' && env.NODE_ENV === 'production')
    throw new Error(`CHAOS_BUILD=${env.CHAOS_BUILD} is refused under NODE_ENV=production`);
  if (build.kind !== 'real' && !env.CHAOS_MODE) throw new Error(`CHAOS_BUILD=${env.CHAOS_BUILD} needs CHAOS_MODE=true`);
  return {
    enabled: env.CHAOS_MODE,
    seed: env.CHAOS_SEED,
    rules,
    build,
    faultLog: env.CHAOS_FAULT_LOG,
    generation: env.INSTANCE_GENERATION,
  };
}

/** `real` | `seed` | `mutant:<name>`; the mutant's name is checked against the registry when it loads. */
export function parseChaosBuild(value: string): ChaosBuild {
  if (value === 'real' || value === 'seed') return { kind: value };
  const mutant = /^mutant:([a-z0-9][a-z0-9-]*)$/.exec(value);
  if (mutant) return { kind: 'mutant', name: mutant[1] };
  throw new Error(`CHAOS_BUILD must be real, seed or mutant:<name>, got ${JSON.stringify(value.slice(0, 64))}`);
}

export const chaosBuildLabel = (build: ChaosBuild): string => (build.kind === 'mutant' ? `mutant:${build.name}` : build.kind);
