import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExperimentTemplateInput } from '../fis/templates/template-model';

/**
 * The experiment templates of this folder, FIS JSON one file each (`kill-api.json`, ...), and the
 * scenario library in `scenarios/` (`az-power-interruption.json`, ...: AWS's scenarios, locally).
 * Both are found by name alone. The JSON stays in the source tree (the build does not copy it), so
 * from dist/ the loader looks back in the repository's chaos/experiments.
 */
export function experimentTemplatesDir(): string {
  const candidates = [__dirname, resolve(__dirname, '../../../chaos/experiments')];
  const found = candidates.find((dir) => existsSync(join(dir, 'kill-api.json')));
  if (!found) throw new Error(`experiment templates not found (looked in ${candidates.join(', ')})`);
  return found;
}

export const scenariosDir = (): string => join(experimentTemplatesDir(), 'scenarios');

/** Each template's file, by name: the experiments first, then the scenarios. */
function templateFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of [experimentTemplatesDir(), scenariosDir()]) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const name = file.slice(0, -'.json'.length);
      if (files.has(name)) throw new Error(`experiment template '${name}' exists twice (${files.get(name)} and ${join(dir, file)})`);
      files.set(name, join(dir, file));
    }
  }
  return files;
}

export function experimentTemplateNames(): string[] {
  return [...templateFiles().keys()].sort();
}

/** The names of the scenario library's templates. */
export function scenarioNames(): string[] {
  return existsSync(scenariosDir())
    ? readdirSync(scenariosDir())
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -'.json'.length))
        .sort()
    : [];
}

/** The template `name` as CreateExperimentTemplate takes it (an unknown name lists the known ones). */
export function loadExperimentTemplate(name: string): ExperimentTemplateInput {
  const files = templateFiles();
  const file = files.get(name);
  if (!file) throw new Error(`no experiment template '${name}'; known: ${[...files.keys()].sort().join(', ')}`);
  return JSON.parse(readFileSync(file, 'utf8')) as ExperimentTemplateInput;
}
