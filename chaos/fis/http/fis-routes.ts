import type { FisAction } from '../actions/fis-action';
import { notFound, validationError } from '../errors';
import type { ExperimentService } from '../experiments/experiment-service';
import type { FisLocation } from '../identifiers';
import { paginate } from '../pagination';
import { LOCAL_RESOURCE_TYPES } from '../targets/local-resources';
import type { SafetyLever } from '../safety-lever';
import type { TemplateStore } from '../templates/template-store';
import { RouteRequest, Router } from './router';
import {
  actionSummaryToWire,
  actionToWire,
  experimentSummaryToWire,
  experimentToWire,
  resolvedTargetsToWire,
  templateSummaryToWire,
  templateToWire,
} from './wire';

export interface FisRouteDependencies {
  readonly templates: TemplateStore;
  readonly experiments: ExperimentService;
  readonly actions: ReadonlyMap<string, FisAction>;
  readonly location: FisLocation;
  readonly lever: SafetyLever;
}

/**
 * The FIS API, at the paths and methods of its restJson1 model (botocore's fis service JSON,
 * @aws-sdk/client-fis's se_*Command): every operation is routed, the multi-account ones answered
 * as FIS answers them for single-account templates. Handlers are thin: parse, call, map to wire.
 */
export function fisRoutes(deps: FisRouteDependencies): Router {
  const router = new Router();
  for (const addRoutes of [templateRoutes, experimentRoutes, catalogRoutes, targetAccountRoutes, safetyLeverRoutes, tagRoutes])
    addRoutes(router, deps);
  return router;
}

/** Experiment templates: create, list, get, update, delete. */
function templateRoutes(router: Router, { templates }: FisRouteDependencies): Router {
  return router
    .add('CreateExperimentTemplate', 'POST', '/experimentTemplates', ({ body }) => ({
      experimentTemplate: templateToWire(templates.create(body)),
    }))
    .add('ListExperimentTemplates', 'GET', '/experimentTemplates', ({ query }) => {
      const { page, nextToken } = templates.list(maxResults(query), query.get('nextToken') ?? undefined);
      return { experimentTemplates: page.map(templateSummaryToWire), ...(nextToken ? { nextToken } : {}) };
    })
    .add('GetExperimentTemplate', 'GET', '/experimentTemplates/{id}', ({ params }) => ({
      experimentTemplate: templateToWire(templates.get(params.id)),
    }))
    .add('UpdateExperimentTemplate', 'PATCH', '/experimentTemplates/{id}', ({ params, body }) => ({
      experimentTemplate: templateToWire(templates.update(params.id, body)),
    }))
    .add('DeleteExperimentTemplate', 'DELETE', '/experimentTemplates/{id}', ({ params }) => ({
      experimentTemplate: templateToWire(templates.delete(params.id)),
    }));
}

/** Experiments: start, list, get, stop, and their resolved targets. */
function experimentRoutes(router: Router, { experiments }: FisRouteDependencies): Router {
  return router
    .add('StartExperiment', 'POST', '/experiments', ({ body }) => ({ experiment: experimentToWire(experiments.start(body)) }))
    .add('ListExperiments', 'GET', '/experiments', ({ query }) => {
      const { page, nextToken } = experiments.list(
        maxResults(query),
        query.get('nextToken') ?? undefined,
        query.get('experimentTemplateId') ?? undefined,
      );
      return { experiments: page.map(experimentSummaryToWire), ...(nextToken ? { nextToken } : {}) };
    })
    .add('GetExperiment', 'GET', '/experiments/{id}', ({ params }) => ({ experiment: experimentToWire(experiments.get(params.id)) }))
    .add('StopExperiment', 'DELETE', '/experiments/{id}', ({ params }) => ({ experiment: experimentToWire(experiments.stop(params.id)) }))
    .add('ListExperimentResolvedTargets', 'GET', '/experiments/{id}/resolvedTargets', ({ params, query }) => {
      const resolved = resolvedTargetsToWire(experiments.get(params.id), query.get('targetName') ?? undefined);
      const { page, nextToken } = paginate(resolved, maxResults(query), query.get('nextToken') ?? undefined);
      return { resolvedTargets: page, ...(nextToken ? { nextToken } : {}) };
    });
}

/** What can be injected: the actions and the target resource types. */
function catalogRoutes(router: Router, { actions, location }: FisRouteDependencies): Router {
  return router
    .add('ListActions', 'GET', '/actions', ({ query }) => {
      const { page, nextToken } = paginate([...actions.values()], maxResults(query), query.get('nextToken') ?? undefined);
      return { actions: page.map((a) => actionSummaryToWire(a, location)), ...(nextToken ? { nextToken } : {}) };
    })
    .add('GetAction', 'GET', '/actions/{id}', ({ params }) => {
      const action = actions.get(params.id);
      if (!action) throw notFound(`Action ${params.id} not found`);
      return { action: actionToWire(action, location) };
    })
    .add('ListTargetResourceTypes', 'GET', '/targetResourceTypes', ({ query }) => {
      const types = [...LOCAL_RESOURCE_TYPES.values()].map((t) => ({ resourceType: t.resourceType, description: t.description }));
      const { page, nextToken } = paginate(types, maxResults(query), query.get('nextToken') ?? undefined);
      return { targetResourceTypes: page, ...(nextToken ? { nextToken } : {}) };
    })
    .add('GetTargetResourceType', 'GET', '/targetResourceTypes/{resourceType}', ({ params }) => {
      const type = LOCAL_RESOURCE_TYPES.get(params.resourceType);
      if (!type) throw notFound(`Target resource type ${params.resourceType} not found`);
      return { targetResourceType: { resourceType: type.resourceType, description: type.description, parameters: {} } };
    });
}

/**
 * Multi-account targeting: the simulator runs single-account templates only (accountTargeting
 * multi-account is refused), so there are never target account configurations.
 */
function targetAccountRoutes(router: Router, { templates, experiments }: FisRouteDependencies): Router {
  return router
    .add('ListTargetAccountConfigurations', 'GET', '/experimentTemplates/{id}/targetAccountConfigurations', ({ params, query }) => {
      templates.get(params.id);
      maxResults(query);
      return { targetAccountConfigurations: [] };
    })
    .add('CreateTargetAccountConfiguration', 'POST', '/experimentTemplates/{id}/targetAccountConfigurations/{accountId}', ({ params }) => {
      templates.get(params.id);
      throw validationError(
        `Experiment template ${params.id} has accountTargeting single-account; ` +
          'target account configurations need a multi-account template',
      );
    })
    .add('GetTargetAccountConfiguration', 'GET', '/experimentTemplates/{id}/targetAccountConfigurations/{accountId}', ({ params }) =>
      noTargetAccountConfiguration(templates.get(params.id).id, params.accountId),
    )
    .add('UpdateTargetAccountConfiguration', 'PATCH', '/experimentTemplates/{id}/targetAccountConfigurations/{accountId}', ({ params }) =>
      noTargetAccountConfiguration(templates.get(params.id).id, params.accountId),
    )
    .add('DeleteTargetAccountConfiguration', 'DELETE', '/experimentTemplates/{id}/targetAccountConfigurations/{accountId}', ({ params }) =>
      noTargetAccountConfiguration(templates.get(params.id).id, params.accountId),
    )
    .add('ListExperimentTargetAccountConfigurations', 'GET', '/experiments/{id}/targetAccountConfigurations', ({ params }) => {
      experiments.get(params.id);
      return { targetAccountConfigurations: [] };
    })
    .add('GetExperimentTargetAccountConfiguration', 'GET', '/experiments/{id}/targetAccountConfigurations/{accountId}', ({ params }) =>
      noTargetAccountConfiguration(experiments.get(params.id).id, params.accountId),
    );
}

/** The safety lever: read it, engage or disengage it. */
function safetyLeverRoutes(router: Router, { lever }: FisRouteDependencies): Router {
  return router
    .add('GetSafetyLever', 'GET', '/safetyLevers/{id}', ({ params }) => ({ safetyLever: lever.get(params.id) }))
    .add('UpdateSafetyLeverState', 'PATCH', '/safetyLevers/{id}/state', ({ params, body }) => ({
      safetyLever: lever.update(params.id, body),
    }));
}

/** Tags of templates and experiments, by ARN. */
function tagRoutes(router: Router, { templates, experiments }: FisRouteDependencies): Router {
  return router
    .add('ListTagsForResource', 'GET', '/tags/{resourceArn}', (r) => ({ tags: { ...taggable(r).tags } }))
    .add('TagResource', 'POST', '/tags/{resourceArn}', (r) => {
      const tags = r.body.tags;
      if (typeof tags !== 'object' || tags === null || Object.values(tags).some((v) => typeof v !== 'string'))
        throw validationError('tags: must map strings to strings');
      Object.assign(taggable(r).tags, tags);
      return {};
    })
    .add('UntagResource', 'DELETE', '/tags/{resourceArn}', (r) => {
      const resource = taggable(r);
      for (const key of r.query.getAll('tagKeys')) delete resource.tags[key];
      return {};
    });

  function taggable({ params }: RouteRequest): { tags: Record<string, string> } {
    const resource = templates.byArn(params.resourceArn) ?? experiments.byArn(params.resourceArn);
    if (!resource) throw notFound(`Resource ${params.resourceArn} not found`);
    return resource;
  }
}

function noTargetAccountConfiguration(owner: string, accountId: string): never {
  throw notFound(`Target account configuration for account ${accountId} not found on ${owner}`);
}

function maxResults(query: URLSearchParams): number | undefined {
  const text = query.get('maxResults');
  return text === null ? undefined : Number(text);
}
