import type { TemplateTarget } from '../templates/template-model';
import { arnResourceId } from '../identifiers';
import type { LocalResource } from './local-resources';

/**
 * Does `resource` match a target's resourceArns / resourceTags / filters? As in FIS: every tag
 * must match, and each filter's path (e.g. `State.Name`) must reach one of its values.
 */
export function matchesTarget(resource: LocalResource, target: TemplateTarget): boolean {
  if (target.resourceArns?.length) {
    // By resource id, so a template written for another account or region still finds local resources.
    const ids = new Set(target.resourceArns.map(arnResourceId));
    if (!ids.has(resource.id)) return false;
  }
  for (const [key, value] of Object.entries(target.resourceTags ?? {})) {
    if (resource.tags[key] !== value) return false;
  }
  return (target.filters ?? []).every((filter) =>
    valuesAt(resource.attributes, filter.path.split('.')).some((v) => filter.values.includes(v)),
  );
}

/** The string values found by walking `path`; arrays along the way are flattened. */
function valuesAt(node: unknown, path: string[]): string[] {
  if (Array.isArray(node)) return node.flatMap((item) => valuesAt(item, path));
  // A path ends on a value (string, number, boolean); an object there has none a filter could name.
  if (path.length === 0) return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean' ? [String(node)] : [];
  if (typeof node !== 'object' || node === null) return [];
  return valuesAt((node as Record<string, unknown>)[path[0]], path.slice(1));
}
