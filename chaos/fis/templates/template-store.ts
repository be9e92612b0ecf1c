import { ClientTokens } from '../client-tokens';
import { notFound, validationError } from '../errors';
import { FisLocation, newFisId, templateArn } from '../identifiers';
import { paginate } from '../pagination';
import type { ExperimentTemplate, ExperimentTemplateInput } from './template-model';
import { describeIssues, templateInputSchema, templateUpdateSchema } from './template-schema';
import { TemplateValidationContext, templateProblems } from './template-validator';

/**
 * Experiment templates: create (idempotent by clientToken), get, list, update, delete. Every
 * write is validated whole (shape, then meaning) and refused with a ValidationException naming
 * the problems; a stored template is always one the simulator can run.
 */
export class TemplateStore {
  private readonly templates = new Map<string, ExperimentTemplate>();
  private readonly tokens = new ClientTokens();

  constructor(
    private readonly location: FisLocation,
    private readonly validation: TemplateValidationContext,
    private readonly now: () => number,
  ) {}

  create(body: Record<string, unknown>): ExperimentTemplate {
    const { clientToken, ...request } = body;
    const token = typeof clientToken === 'string' ? clientToken : undefined;
    const earlier = this.tokens.replay(token, request);
    if (earlier && this.templates.has(earlier)) return this.get(earlier);
    const input = this.validated(request);
    const id = newFisId('EXT');
    const at = this.now();
    const template: ExperimentTemplate = {
      ...normalize(input),
      id,
      arn: templateArn(this.location, id),
      tags: { ...(input.tags ?? {}) },
      creationTime: at,
      lastUpdateTime: at,
    };
    this.templates.set(id, template);
    this.tokens.remember(token, request, id);
    return this.get(id);
  }

  get(id: string): ExperimentTemplate {
    const template = this.templates.get(id);
    if (!template) throw notFound(`Experiment template ${id} not found`);
    return structuredClone(template);
  }

  list(maxResults?: number, nextToken?: string) {
    const all = [...this.templates.values()].sort((a, b) => a.creationTime - b.creationTime);
    return paginate(
      all.map((t) => structuredClone(t)),
      maxResults,
      nextToken,
    );
  }

  /**
   * FIS's update: top-level fields given replace the stored ones; `actions` and `targets` merge
   * by name, and an entry sent without its `actionId` / `resourceType` removes that entry.
   */
  update(id: string, body: Record<string, unknown>): ExperimentTemplate {
    const current = this.get(id);
    const parsed = templateUpdateSchema.safeParse(body);
    if (!parsed.success) throw validationError(describeIssues(parsed.error));
    const patch = parsed.data;
    const merged: Record<string, unknown> = {
      description: patch.description ?? current.description,
      roleArn: patch.roleArn ?? current.roleArn,
      actions: mergeEntries(current.actions, patch.actions, 'actionId'),
      targets: mergeEntries(current.targets, patch.targets, 'resourceType'),
      stopConditions: patch.stopConditions ?? current.stopConditions,
      tags: current.tags,
      experimentOptions: { ...current.experimentOptions, ...patch.experimentOptions },
      ...(patch.logConfiguration !== undefined || current.logConfiguration !== undefined
        ? { logConfiguration: patch.logConfiguration ?? current.logConfiguration }
        : {}),
      ...(patch.experimentReportConfiguration !== undefined || current.experimentReportConfiguration !== undefined
        ? { experimentReportConfiguration: patch.experimentReportConfiguration ?? current.experimentReportConfiguration }
        : {}),
    };
    const input = this.validated(merged);
    this.templates.set(id, { ...current, ...normalize(input), tags: current.tags, lastUpdateTime: this.now() });
    return this.get(id);
  }

  delete(id: string): ExperimentTemplate {
    const template = this.get(id);
    this.templates.delete(id);
    return template;
  }

  /** For the tagging API: the template with this ARN, live (tags are changed in place). */
  byArn(arn: string): ExperimentTemplate | undefined {
    return [...this.templates.values()].find((t) => t.arn === arn);
  }

  private validated(request: Record<string, unknown>): ExperimentTemplateInput {
    const parsed = templateInputSchema.safeParse(request);
    if (!parsed.success) throw validationError(describeIssues(parsed.error));
    const input = parsed.data as ExperimentTemplateInput;
    const problems = templateProblems(input, this.validation);
    if (problems.length > 0) throw validationError(problems.join('; '));
    return input;
  }
}

/** What FIS stores: defaults filled in, unknown top-level fields dropped. */
function normalize(input: ExperimentTemplateInput) {
  return {
    description: input.description,
    roleArn: input.roleArn,
    actions: input.actions,
    targets: input.targets ?? {},
    stopConditions: input.stopConditions,
    experimentOptions: {
      accountTargeting: 'single-account' as const,
      emptyTargetResolutionMode: 'fail' as const,
      ...input.experimentOptions,
    },
    ...(input.logConfiguration !== undefined ? { logConfiguration: input.logConfiguration } : {}),
    ...(input.experimentReportConfiguration !== undefined ? { experimentReportConfiguration: input.experimentReportConfiguration } : {}),
  };
}

function mergeEntries<T>(current: Record<string, T>, patch: Record<string, Partial<T>> | undefined, key: keyof T): Record<string, T> {
  if (!patch) return current;
  const merged = { ...current };
  for (const [name, entry] of Object.entries(patch)) {
    if (entry[key] === undefined) delete merged[name];
    else merged[name] = entry as T;
  }
  return merged;
}
