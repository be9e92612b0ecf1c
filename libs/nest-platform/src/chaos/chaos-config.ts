import { envBoolean, parseFaultRules, FaultRule } from '@imagery/aws-adapters';
import { z } from 'zod';

export const chaosEnvSchema = z.object({
  /** Fault injection and its control endpoints exist only when this is on (as under `npm start`). */
  CHAOS_MODE: envBoolean.default('false'),
  /** The same seed gives the same fault decisions. */
  CHAOS_SEED: z.coerce.number().int().default(1),
  /** Fault rules active from the start (JSON array); a replacement instance gets the live set here. */
  FAULT_RULES: z.string().default('[]'),
  /** Where this instance appends every fault it injects (JSON Lines, one history entry each); set by the fleet. */
  CHAOS_FAULT_LOG: z.string().min(1).optional(),
  /** The fleet slot's generation of this instance (0, then +1 per replacement), for the fault log. */
  INSTANCE_GENERATION: z.coerce.number().int().min(0).default(0),
  /** The deliberately broken build (libs/naive-build), to show the checker catching it. */
  NAIVE_BUILD: envBoolean.default('false'),
  NODE_ENV: z.string().optional(),
});

export interface ChaosConfig {
  readonly enabled: boolean;
  readonly seed: number;
  readonly rules: FaultRule[];
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
    throw new Error(`FAULT_RULES is not a valid list of fault rules: ${(err as Error).message}`);
  }
  if (!env.CHAOS_MODE && rules.length > 0) throw new Error('FAULT_RULES needs CHAOS_MODE=true');
  if (!env.CHAOS_MODE && env.NAIVE_BUILD) throw new Error('NAIVE_BUILD needs CHAOS_MODE=true');
  return { enabled: env.CHAOS_MODE, seed: env.CHAOS_SEED, rules, faultLog: env.CHAOS_FAULT_LOG, generation: env.INSTANCE_GENERATION };
}
