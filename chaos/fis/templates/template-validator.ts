import type { FisAction } from '../actions/fis-action';
import type { AlarmCatalog } from '../stop-conditions/alarms';
import { alarmNameOf } from '../stop-conditions/alarms';
import { LOCAL_RESOURCE_TYPES } from '../targets/local-resources';
import { parseSelectionMode } from '../targets/selection-mode';
import type { ExperimentTemplateInput, TemplateAction, TemplateTarget } from './template-model';

export interface TemplateValidationContext {
  readonly actions: ReadonlyMap<string, FisAction>;
  readonly alarms: AlarmCatalog;
}

const NAME = /^[\S]{1,64}$/;

/**
 * What FIS would refuse in a well-shaped template, each problem naming what is wrong and
 * where: unknown action ids, unknown or missing parameters, bad values (durations, percentages),
 * missing or mismatched targets, startAfter naming unknown actions or making a cycle, bad
 * selection modes, unknown alarms. An empty list means the template is valid.
 */
export function templateProblems(template: ExperimentTemplateInput, context: TemplateValidationContext): string[] {
  const targets = template.targets ?? {};
  const problems: string[] = [];
  if (Object.keys(template.actions).length === 0) problems.push('actions: a template needs at least one action');
  for (const [name, action] of Object.entries(template.actions)) problems.push(...actionProblems(name, action, targets, template, context));
  problems.push(...startAfterCycles(template.actions));
  for (const [name, target] of Object.entries(targets)) problems.push(...targetProblems(name, target));
  problems.push(...stopConditionProblems(template, context));
  const seed = template.tags?.seed;
  if (seed !== undefined && !/^-?\d+$/.test(seed)) problems.push(`tags.seed: "${seed}" must be an integer`);
  if (template.experimentOptions?.accountTargeting === 'multi-account')
    problems.push('experimentOptions.accountTargeting: multi-account is not supported locally');
  return problems;
}

function actionProblems(
  name: string,
  action: TemplateAction,
  targets: Record<string, TemplateTarget>,
  template: ExperimentTemplateInput,
  context: TemplateValidationContext,
): string[] {
  const where = `Action '${name}'`;
  if (!NAME.test(name)) return [`${where}: action names are 1-64 characters without spaces`];
  const definition = context.actions.get(action.actionId);
  if (!definition) return [`${where}: unknown action id '${action.actionId}'. Call ListActions for the supported actions`];
  const problems: string[] = [];
  const parameters = action.parameters ?? {};
  for (const [key, value] of Object.entries(parameters)) {
    const spec = definition.parameters[key];
    if (!spec)
      problems.push(
        `${where}: unknown parameter '${key}' for ${action.actionId}; it takes ${listOrNone(Object.keys(definition.parameters))}`,
      );
    else {
      const issue = spec.check?.(value);
      if (issue) problems.push(`${where}: parameter '${key}': ${issue}`);
    }
  }
  for (const [key, spec] of Object.entries(definition.parameters)) {
    if (spec.required && parameters[key] === undefined)
      problems.push(`${where}: missing required parameter '${key}' for ${action.actionId}`);
  }
  if (problems.length === 0)
    problems.push(...(definition.validate?.(parameters, { alarms: context.alarms }) ?? []).map((p) => `${where}: ${p}`));
  const actionTargets = action.targets ?? {};
  for (const [key, targetName] of Object.entries(actionTargets)) {
    const wanted = definition.targets[key];
    if (!wanted) {
      problems.push(`${where}: ${action.actionId} takes no target '${key}'; it takes ${listOrNone(Object.keys(definition.targets))}`);
      continue;
    }
    const target = targets[targetName];
    if (!target) problems.push(`${where}: target '${key}' refers to '${targetName}', which is not a target of this template`);
    else if (target.resourceType !== wanted.resourceType)
      problems.push(
        `${where}: target '${key}' must be of resource type ${wanted.resourceType}, but '${targetName}' is ${target.resourceType}`,
      );
  }
  for (const key of Object.keys(definition.targets)) {
    if (actionTargets[key] === undefined)
      problems.push(`${where}: missing target '${key}' (${definition.targets[key].resourceType}) required by ${action.actionId}`);
  }
  for (const after of action.startAfter ?? []) {
    if (after === name) problems.push(`${where}: startAfter names the action itself`);
    else if (!template.actions[after]) problems.push(`${where}: startAfter names '${after}', which is not an action of this template`);
  }
  return problems;
}

/** Depth-first search for a cycle in startAfter; reports each cycle once, as a path. */
function startAfterCycles(actions: Record<string, TemplateAction>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const problems: string[] = [];
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done' || !actions[name]) return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      problems.push(`startAfter cycle: ${cycle.join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const after of actions[name].startAfter ?? []) if (after !== name) visit(after, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(actions)) visit(name, []);
  return problems;
}

function targetProblems(name: string, target: TemplateTarget): string[] {
  const where = `Target '${name}'`;
  if (!NAME.test(name)) return [`${where}: target names are 1-64 characters without spaces`];
  const type = LOCAL_RESOURCE_TYPES.get(target.resourceType);
  if (!type)
    return [
      `${where}: resource type '${target.resourceType}' is not supported locally; use ${[...LOCAL_RESOURCE_TYPES.keys()].join(', ')}`,
    ];
  const problems: string[] = [];
  const hasArns = (target.resourceArns?.length ?? 0) > 0;
  const hasTags = Object.keys(target.resourceTags ?? {}).length > 0;
  if (hasArns && hasTags) problems.push(`${where}: give resourceArns or resourceTags, not both`);
  if (!hasArns && !hasTags && !(target.filters?.length ?? 0))
    problems.push(`${where}: give resourceArns, resourceTags or filters to say which resources`);
  for (const arn of target.resourceArns ?? []) {
    if (!type.arnPattern.test(arn)) problems.push(`${where}: '${arn}' is not an ARN of resource type ${target.resourceType}`);
  }
  if (!parseSelectionMode(target.selectionMode))
    problems.push(`${where}: selection mode '${target.selectionMode}' is invalid; use ALL, COUNT(n) or PERCENT(n) (n from 1 to 100)`);
  if (Object.keys(target.parameters ?? {}).length > 0)
    problems.push(`${where}: target parameters are not supported for ${target.resourceType}`);
  return problems;
}

function stopConditionProblems(template: ExperimentTemplateInput, context: TemplateValidationContext): string[] {
  const problems: string[] = [];
  template.stopConditions.forEach((condition, i) => {
    const where = `stopConditions[${i}]`;
    if (condition.source === 'none') {
      if (condition.value !== undefined) problems.push(`${where}: source 'none' takes no value`);
    } else if (condition.source === 'aws:cloudwatch:alarm') {
      const name = condition.value ? alarmNameOf(condition.value) : undefined;
      if (!condition.value) problems.push(`${where}: aws:cloudwatch:alarm needs the alarm ARN as value`);
      else if (!name) problems.push(`${where}: '${condition.value}' is not a CloudWatch alarm ARN`);
      else if (!context.alarms.has(name))
        problems.push(`${where}: alarm '${name}' is not defined locally; known alarms: ${[...context.alarms.keys()].join(', ')}`);
    } else problems.push(`${where}: source '${condition.source}' is not supported; use none or aws:cloudwatch:alarm`);
  });
  return problems;
}

const listOrNone = (names: string[]) => (names.length ? names.join(', ') : 'none');
