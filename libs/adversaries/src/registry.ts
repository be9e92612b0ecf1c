import type { AdversaryPlugin } from '@imagery/nest-platform';
import { AdversaryDefinition } from './adversary-definition';
import { ackBeforeDurable } from './mutants/ack-before-durable';
import { anyErrorIsPermanent } from './mutants/any-error-is-permanent';
import { copyNotSepia } from './mutants/copy-not-sepia';
import { noCreateCondition } from './mutants/no-create-condition';
import { noRepairSweep } from './mutants/no-repair-sweep';
import { noVersionCondition } from './mutants/no-version-condition';
import { processedBeforeStored } from './mutants/processed-before-stored';
import { rawKeyNotContentAddressed } from './mutants/raw-key-not-content-addressed';
import { timestampedProcessedKey } from './mutants/timestamped-processed-key';
import { uploadNotInspected } from './mutants/upload-not-inspected';
import { seedBuild } from './seed/seed-build';

/** Every mutant, by name: adding one = one file in mutants/ and one line here. */
export const MUTANTS: readonly AdversaryDefinition[] = [
  timestampedProcessedKey,
  noRepairSweep,
  ackBeforeDurable,
  anyErrorIsPermanent,
  processedBeforeStored,
  copyNotSepia,
  rawKeyNotContentAddressed,
  uploadNotInspected,
  noVersionCondition,
  noCreateCondition,
];

export const SEED: AdversaryDefinition = seedBuild;

export function mutantNamed(name: string): AdversaryDefinition {
  const mutant = MUTANTS.find((m) => m.name === name);
  if (!mutant) throw new Error(`unknown mutant ${JSON.stringify(name)}; known: ${MUTANTS.map((m) => m.name).join(', ')}`);
  return mutant;
}

/** The adversary an instance runs for CHAOS_BUILD (the plugin seam in libs/nest-platform calls this). */
export const adversaryFor: AdversaryPlugin['adversaryFor'] = (build) => {
  const definition = build.kind === 'seed' ? SEED : mutantNamed(build.name);
  return { label: build.kind === 'seed' ? 'seed' : `mutant:${definition.name}`, ...definition.build };
};
