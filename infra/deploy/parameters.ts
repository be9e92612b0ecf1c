import type { Parameter } from '@aws-sdk/client-cloudformation';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCfnTemplate } from '@imagery/cfn-deploy/cfn-yaml';
import { repoRoot } from '@imagery/kernel/repo-root';
import { DeployError } from '@imagery/cfn-deploy/deploy-error';

/** The templates `npm run deploy` knows: the full platform, or the data part alone (--data-only). */
export const TEMPLATES = {
  root: 'infra/template.yaml',
  data: 'infra/data.yaml',
  artifacts: 'infra/artifacts.yaml',
} as const;
export type TemplateName = keyof typeof TEMPLATES;

export const templatePath = (name: TemplateName, root = repoRoot()): string => join(root, TEMPLATES[name]);

/** A template's parameters and their defaults (as strings), read from the template itself. */
export function templateParameters(name: TemplateName, root = repoRoot()): Record<string, string | undefined> {
  const { Parameters = {} } = parseCfnTemplate(readFileSync(templatePath(name, root), 'utf8'));
  return Object.fromEntries(Object.entries(Parameters).map(([key, p]) => [key, defaultText(p.Default)]));
}

/** A default as CloudFormation takes parameter values: text (YAML may have parsed it as a number or boolean). */
function defaultText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`a parameter default must be a scalar, not ${JSON.stringify(value)}`);
}

/** Parameters the deploy script itself sets on every deploy: where this release is. */
export interface Release {
  ArtifactBucket: string;
  ArtifactKey: string;
  DataTemplateKey: string;
}

/** `--parameter Key=Value`, repeatable. */
export function parseParameterOverrides(pairs: string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z0-9]+)=(.*)$/s.exec(pair);
    if (!match) throw new DeployError(`--parameter ${pair}: expected Key=Value`);
    overrides[match[1]] = match[2];
  }
  return overrides;
}

export interface ParameterInput {
  /** The template's parameters and their defaults (templateParameters). */
  declared: Record<string, string | undefined>;
  /** Given on the command line. */
  overrides: Record<string, string>;
  /** Set by the deploy script (the release location), for the root template. */
  release?: Release;
  /** Parameter values of the stack as deployed now, if it exists. */
  previous?: Record<string, string>;
}

/**
 * The Parameters of a CreateStack/UpdateStack call. On an update, a parameter not given now keeps
 * a deployed value that differs from the template's default (an earlier `--parameter`): re-deploying
 * a new build must not quietly reset InstanceType. One still at its default follows the template.
 */
export function buildParameters({ declared, overrides, release, previous = {} }: ParameterInput): Parameter[] {
  const fixed: Record<string, string> = { ...release };
  const names = Object.keys(declared);
  const unknown = Object.keys(overrides).filter((key) => !names.includes(key));
  if (unknown.length) throw new DeployError(`unknown parameter ${unknown.join(', ')}; the template has ${names.join(', ')}`);
  const clash = Object.keys(overrides).filter((key) => key in fixed);
  if (clash.length) throw new DeployError(`${clash.join(', ')} is set by the deploy script, not by --parameter`);

  const parameters: Parameter[] = [];
  for (const [key, defaultValue] of Object.entries(declared)) {
    const value = fixed[key] ?? overrides[key];
    if (value !== undefined) parameters.push({ ParameterKey: key, ParameterValue: value });
    else if (key in previous && previous[key] !== defaultValue) parameters.push({ ParameterKey: key, UsePreviousValue: true });
  }
  return parameters;
}
