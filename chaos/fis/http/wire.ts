import type { FisAction } from '../actions/fis-action';
import type { ExperimentRecord } from '../experiments/experiment-model';
import { actionArn, epochSeconds, FisLocation } from '../identifiers';
import type { ExperimentTemplate } from '../templates/template-model';

/**
 * Records → the JSON FIS answers with. Timestamps go out as epoch seconds (the SDK's
 * parseEpochTimestamp); internal fields (seed, resolved targets) stay in.
 */
export const templateToWire = (t: ExperimentTemplate) => ({
  id: t.id,
  arn: t.arn,
  description: t.description,
  targets: t.targets,
  actions: t.actions,
  stopConditions: t.stopConditions,
  creationTime: epochSeconds(t.creationTime),
  lastUpdateTime: epochSeconds(t.lastUpdateTime),
  roleArn: t.roleArn,
  tags: t.tags,
  experimentOptions: t.experimentOptions,
  ...(t.logConfiguration !== undefined ? { logConfiguration: t.logConfiguration } : {}),
  ...(t.experimentReportConfiguration !== undefined ? { experimentReportConfiguration: t.experimentReportConfiguration } : {}),
  targetAccountConfigurationsCount: 0,
});

export const templateSummaryToWire = (t: ExperimentTemplate) => ({
  id: t.id,
  arn: t.arn,
  description: t.description,
  creationTime: epochSeconds(t.creationTime),
  lastUpdateTime: epochSeconds(t.lastUpdateTime),
  tags: t.tags,
});

export const experimentToWire = (e: ExperimentRecord) => ({
  id: e.id,
  arn: e.arn,
  experimentTemplateId: e.experimentTemplateId,
  roleArn: e.roleArn,
  state: e.state,
  targets: e.targets,
  actions: Object.fromEntries(
    Object.entries(e.actions).map(([name, a]) => [
      name,
      {
        actionId: a.actionId,
        ...(a.description !== undefined ? { description: a.description } : {}),
        parameters: a.parameters ?? {},
        targets: a.targets ?? {},
        ...(a.startAfter ? { startAfter: a.startAfter } : {}),
        state: a.state,
        ...times(a),
      },
    ]),
  ),
  stopConditions: e.stopConditions,
  creationTime: epochSeconds(e.creationTime),
  ...times(e),
  tags: e.tags,
  experimentOptions: e.experimentOptions,
  targetAccountConfigurationsCount: 0,
  ...(e.experimentReportConfiguration !== undefined ? { experimentReportConfiguration: e.experimentReportConfiguration } : {}),
  ...(e.experimentReport !== undefined
    ? { experimentReport: { state: e.experimentReport.state, s3Reports: e.experimentReport.s3Reports } }
    : {}),
});

export const experimentSummaryToWire = (e: ExperimentRecord) => ({
  id: e.id,
  arn: e.arn,
  experimentTemplateId: e.experimentTemplateId,
  state: e.state,
  creationTime: epochSeconds(e.creationTime),
  tags: e.tags,
  experimentOptions: e.experimentOptions,
});

export const resolvedTargetsToWire = (e: ExperimentRecord, targetName?: string) =>
  e.resolvedTargets
    .filter((r) => targetName === undefined || r.targetName === targetName)
    .map((r) => ({ resourceType: r.resourceType, targetName: r.targetName, targetInformation: { identifier: r.arn } }));

export const actionSummaryToWire = (a: FisAction, at: FisLocation) => ({
  id: a.id,
  arn: actionArn(at, a.id),
  description: a.description,
  targets: Object.fromEntries(Object.entries(a.targets).map(([key, t]) => [key, { resourceType: t.resourceType }])),
  tags: {},
});

export const actionToWire = (a: FisAction, at: FisLocation) => ({
  ...actionSummaryToWire(a, at),
  parameters: Object.fromEntries(
    Object.entries(a.parameters).map(([key, p]) => [key, { description: p.description, required: p.required }]),
  ),
});

function times(x: { startTime?: number; endTime?: number }) {
  return {
    ...(x.startTime !== undefined ? { startTime: epochSeconds(x.startTime) } : {}),
    ...(x.endTime !== undefined ? { endTime: epochSeconds(x.endTime) } : {}),
  };
}
