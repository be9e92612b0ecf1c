import { hashSeed, seededRandom } from '@imagery/kernel/seeded-random';
import type { ControlPlane } from '@imagery/control-plane/control-plane';
import type { FisLocation } from '../identifiers';
import type { TemplateTarget } from '../templates/template-model';
import { LOCAL_RESOURCE_TYPES, LocalResource } from './local-resources';
import { parseSelectionMode, selectResources } from './selection-mode';
import { matchesTarget } from './target-filters';

/**
 * Resolves one template target to resources, once, when the experiment initiates (as FIS does:
 * an instance launched later is not a target). Candidates are sorted by id before the seeded
 * choice, so the same seed and the same fleet pick the same resources whatever order the fleet
 * lists them in; each target draws from its own stream (seed + target name).
 */
export function resolveTarget(
  name: string,
  target: TemplateTarget,
  controlPlane: ControlPlane,
  location: FisLocation,
  seed: number,
): LocalResource[] {
  const type = LOCAL_RESOURCE_TYPES.get(target.resourceType);
  const mode = parseSelectionMode(target.selectionMode);
  if (!type || !mode) throw new Error(`target '${name}' is invalid`); // validated at create time; here only if the code changed
  const candidates = type
    .list(controlPlane, location)
    .filter((resource) => matchesTarget(resource, target))
    .sort((a, b) => a.id.localeCompare(b.id));
  return selectResources(candidates, mode, seededRandom(hashSeed(seed, `target:${name}`)));
}
