import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExperimentTemplateInput } from '../fis/templates/template-model';

/**
 * The experiment templates of this folder, FIS JSON one file each (`kill-api.json`, ...).
 * The JSON stays in the source tree (the build does not copy it), so from dist/ the loader
 * looks back in the repository's chaos/experiments.
 */
export function experimentTemplatesDir(): string {
  const candidates = [__dirname, resolve(__dirname, '../../../chaos/experiments')];
  const found = candidates.find((dir) => existsSync(join(dir, 'kill-api.json')));
  if (!found) throw new Error(`experiment templates not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function experimentTemplateNames(): string[] {
  return readdirSync(experimentTemplatesDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** The template `name` as CreateExperimentTemplate takes it (an unknown name lists the known ones). */
export function loadExperimentTemplate(name: string): ExperimentTemplateInput {
  const names = experimentTemplateNames();
  if (!names.includes(name)) throw new Error(`no experiment template '${name}'; known: ${names.join(', ')}`);
  return JSON.parse(readFileSync(join(experimentTemplatesDir(), `${name}.json`), 'utf8')) as ExperimentTemplateInput;
}
