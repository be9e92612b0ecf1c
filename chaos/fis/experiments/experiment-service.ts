import { ClientTokens } from '../client-tokens';
import { conflict, notFound, validationError } from '../errors';
import { experimentArn, newFisId } from '../identifiers';
import { paginate } from '../pagination';
import type { SafetyLever } from '../safety-lever';
import { describeIssues, startExperimentOptionsSchema } from '../templates/template-schema';
import type { TemplateStore } from '../templates/template-store';
import { ExperimentRecord, isFinished } from './experiment-model';
import { ExperimentRun, ExperimentRunDependencies } from './experiment-run';

/**
 * Starts, lists and stops experiments. Each experiment is a snapshot of its template taken at
 * start, run by its own ExperimentRun; GetExperiment reads the record the run keeps current.
 */
export class ExperimentService {
  private readonly runs = new Map<string, ExperimentRun>();
  private readonly tokens = new ClientTokens();

  constructor(
    private readonly templates: TemplateStore,
    private readonly deps: ExperimentRunDependencies,
    private readonly defaultSeed: number,
    private readonly lever: () => SafetyLever,
  ) {}

  start(body: Record<string, unknown>): ExperimentRecord {
    const { clientToken, ...request } = body;
    const token = typeof clientToken === 'string' ? clientToken : undefined;
    const earlier = this.tokens.replay(token, request);
    if (earlier) return this.get(earlier);
    if (typeof request.experimentTemplateId !== 'string') throw validationError('experimentTemplateId: Required');
    const tags = (request.tags ?? {}) as Record<string, string>;
    if (typeof tags !== 'object' || Object.values(tags).some((v) => typeof v !== 'string'))
      throw validationError('tags: must map strings to strings');
    const options = startExperimentOptionsSchema.safeParse(request.experimentOptions ?? {});
    if (!options.success) throw validationError(describeIssues(options.error).replace(/^/, 'experimentOptions.'));
    const template = this.templates.get(request.experimentTemplateId);
    const id = newFisId('EXP');
    const record: ExperimentRecord = {
      id,
      arn: experimentArn(this.deps.location, id),
      experimentTemplateId: template.id,
      roleArn: template.roleArn,
      state: { status: 'pending', reason: 'Experiment is pending.' },
      targets: template.targets,
      actions: Object.fromEntries(
        Object.entries(template.actions).map(([name, a]) => [
          name,
          { ...a, state: { status: 'pending' as const, reason: 'Initial state.' } },
        ]),
      ),
      stopConditions: template.stopConditions,
      experimentOptions: { ...template.experimentOptions, actionsMode: options.data.actionsMode ?? 'run-all' },
      tags: { ...tags },
      creationTime: this.deps.clock.now(),
      seed: this.seedFor(tags, template.tags),
      resolvedTargets: [],
      ...(template.experimentReportConfiguration
        ? {
            experimentReportConfiguration: template.experimentReportConfiguration,
            experimentReport: { state: { status: 'pending' as const, reason: 'Report generation is pending.' }, s3Reports: [] },
          }
        : {}),
    };
    this.tokens.remember(token, request, id);
    const cancelled = this.lever().engaged ? 'Experiment was cancelled because the safety lever is engaged.' : undefined;
    this.runs.set(id, new ExperimentRun(record, this.deps, cancelled));
    return this.get(id);
  }

  get(id: string): ExperimentRecord {
    return structuredClone(this.run(id).experiment);
  }

  list(maxResults?: number, nextToken?: string, experimentTemplateId?: string) {
    const all = [...this.runs.values()]
      .map((r) => r.experiment)
      .filter((e) => experimentTemplateId === undefined || e.experimentTemplateId === experimentTemplateId)
      .sort((a, b) => b.creationTime - a.creationTime);
    return paginate(
      all.map((e) => structuredClone(e)),
      maxResults,
      nextToken,
    );
  }

  /** StopExperiment: answers at once with `stopping`; the faults are removed as the actions end. */
  stop(id: string, reason = 'Experiment stopped by user request.'): ExperimentRecord {
    const run = this.run(id);
    if (isFinished(run.experiment.state.status)) throw conflict(`Experiment ${id} has already ended (${run.experiment.state.status})`);
    run.end('stopped', reason);
    return this.get(id);
  }

  /** Stops every experiment still running and waits until each has removed its faults (and written its report). */
  async stopAll(reason: string): Promise<void> {
    for (const run of this.runs.values()) run.end('stopped', reason);
    await Promise.all([...this.runs.values()].map((r) => r.finished));
  }

  /** Resolves when the experiment has ended (for tests and the runner). */
  finished(id: string): Promise<void> {
    return this.run(id).finished;
  }

  byArn(arn: string): ExperimentRecord | undefined {
    return [...this.runs.values()].map((r) => r.experiment).find((e) => e.arn === arn);
  }

  private run(id: string): ExperimentRun {
    const run = this.runs.get(id);
    if (!run) throw notFound(`Experiment ${id} not found`);
    return run;
  }

  /** StartExperiment's `seed` tag, else the template's, else the simulator's: the same seed, the same choices. */
  private seedFor(experimentTags: Record<string, string>, templateTags: Record<string, string>): number {
    const text = experimentTags.seed ?? templateTags.seed;
    if (text === undefined) return this.defaultSeed;
    if (!/^-?\d+$/.test(text)) throw validationError(`tags.seed: "${text}" must be an integer`);
    return Number(text);
  }
}
