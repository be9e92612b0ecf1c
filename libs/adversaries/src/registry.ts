import type { ChaosBuild, Adversary } from '@imagery/nest-platform';
import { AdversaryDefinition } from './adversary-definition';
import { ackBeforeDurable } from './mutants/ack-before-durable';
import { anyErrorIsPermanent } from './mutants/any-error-is-permanent';
import { deleteBeforeTransition } from './mutants/delete-before-transition';
import { noCreateCondition } from './mutants/no-create-condition';
import { noRepairSweep } from './mutants/no-repair-sweep';
import { noRereadBeforeProcessing } from './mutants/no-reread-before-processing';
import { noStateCondition } from './mutants/no-state-condition';
import { noVersionCondition } from './mutants/no-version-condition';
import { processedBeforeStored } from './mutants/processed-before-stored';
import { timestampedProcessedKey } from './mutants/timestamped-processed-key';
import { seedBuild } from './seed/seed-build';

/** Every mutant, by name: adding one = one file in mutants/ and one line here. */
export const MUTANTS: readonly AdversaryDefinition[] = [
  noVersionCondition,
  noStateCondition,
  timestampedProcessedKey,
  noRepairSweep,
  deleteBeforeTransition,
  ackBeforeDurable,
  anyErrorIsPermanent,
  noRereadBeforeProcessing,
  processedBeforeStored,
  noCreateCondition,
];

export const SEED: AdversaryDefinition = seedBuild;

export function mutantNamed(name: string): AdversaryDefinition {
  const mutant = MUTANTS.find((m) => m.name === name);
  if (!mutant) throw new Error(`unknown mutant ${JSON.stringify(name)}; known: ${MUTANTS.map((m) => m.name).join(', ')}`);
  return mutant;
}

/** The adversary an instance runs for CHAOS_BUILD (the seam in libs/nest-platform calls this). */
export function adversaryFor(build: Exclude<ChaosBuild, { kind: 'real' }>): Adversary {
  const definition = build.kind === 'seed' ? SEED : mutantNamed(build.name);
  return { label: build.kind === 'seed' ? 'seed' : `mutant:${definition.name}`, ...definition.build };
}
