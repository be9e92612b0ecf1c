import type { ControlPlane } from '@imagery/control-plane/control-plane';
import type { ActionContext, FisAction } from '../actions/fis-action';
import type { FisClock } from '../clock';
import type { FisLocation } from '../identifiers';
import type { AlarmCatalog } from '../stop-conditions/alarms';
import { watchStopConditions } from '../stop-conditions/stop-condition-monitor';
import type { LocalResource } from '../targets/local-resources';
import { resolveTarget } from '../targets/resolve-targets';
import { ActionStatus, ExperimentRecord, ExperimentStatus, isFinished } from './experiment-model';
import { writeExperimentReport } from './experiment-report';

export interface ExperimentRunDependencies {
  readonly controlPlane: ControlPlane;
  readonly clock: FisClock;
  readonly actions: ReadonlyMap<string, FisAction>;
  readonly alarms: AlarmCatalog;
  readonly location: FisLocation;
  readonly stopConditionIntervalMs: number;
  /** Where experiment reports are written locally (besides their S3 bucket). */
  readonly reportDir: string;
  log(message: string): void;
}

/**
 * Runs one experiment through FIS's lifecycle, writing its state into the record as it goes
 * (GetExperiment reads the same record):
 *
 *   initiating (targets resolved) → running (actions in startAfter order, stop conditions
 *   watched) → completed | stopping → stopped (StopExperiment, a stop condition) | failed.
 *
 * Actions: pending → initiating → running → completed, or stopping → stopped when the
 * experiment stops under them, cancelled if it stops before they start, skipped when their
 * target is empty and emptyTargetResolutionMode is `skip`, failed if they throw (which fails
 * the experiment and stops the others). Whatever an action injected is undone when it ends.
 */
export class ExperimentRun {
  private readonly abort = new AbortController();
  private ending?: { status: 'stopped' | 'failed'; reason: string };
  private readonly outcomes = new Map<string, Promise<ActionStatus>>();
  readonly finished: Promise<void>;

  constructor(
    readonly experiment: ExperimentRecord,
    private readonly deps: ExperimentRunDependencies,
    /** Set when the experiment must not run at all (the safety lever is engaged): it ends `cancelled`. */
    cancelledBecause?: string,
  ) {
    const ran = cancelledBecause ? Promise.resolve(this.cancel(cancelledBecause)) : this.start();
    this.finished = ran.then(() =>
      writeExperimentReport(experiment, {
        clock: deps.clock,
        store: deps.controlPlane.reportStore,
        reportDir: deps.reportDir,
        log: (message) => deps.log(message),
      }),
    );
  }

  private start(): Promise<void> {
    this.setState('initiating', 'Experiment is initiating.');
    return this.run().catch((error: Error) => {
      // A bug in the runner must not leave an experiment "running" forever.
      this.deps.log(`${this.experiment.id}: runner error: ${error.stack ?? error.message}`);
      this.finish('failed', `Internal error: ${error.message}`);
    });
  }

  private cancel(reason: string): void {
    this.cancelPending('Experiment was cancelled before the action started.');
    this.finish('cancelled', reason);
  }

  private get dryRun(): boolean {
    return this.experiment.experimentOptions.actionsMode === 'skip-all';
  }

  /** StopExperiment (status `stopped`), a stop condition (`stopped`) or a failed action (`failed`). */
  end(status: 'stopped' | 'failed', reason: string): void {
    if (this.ending || this.isOver()) return;
    this.ending = { status, reason };
    if (status === 'stopped' && this.experiment.state.status !== 'initiating') this.setState('stopping', reason);
    this.abort.abort();
  }

  private async run(): Promise<void> {
    const resolved = await this.resolveTargets();
    if (!resolved) return;
    if (this.ending) return this.finishEnding();
    const watching = new AbortController();
    const stopConditions = watchStopConditions(
      {
        // A dry run injects nothing, so nothing to stop.
        conditions: this.dryRun ? [] : this.experiment.stopConditions,
        alarms: this.deps.alarms,
        metrics: this.deps.controlPlane.metrics,
        clock: this.deps.clock,
        intervalMs: this.deps.stopConditionIntervalMs,
        onAlarm: (reason) => {
          this.deps.log(`${this.experiment.id}: ${reason}`);
          this.end('stopped', reason);
        },
        log: (m) => this.deps.log(`${this.experiment.id}: ${m}`),
      },
      watching.signal,
    );
    this.experiment.startTime = this.deps.clock.now();
    if (!this.ending) this.setState('running', 'Experiment is running.');
    await Promise.all(Object.keys(this.experiment.actions).map((name) => this.outcome(name, resolved)));
    watching.abort();
    await stopConditions;
    if (this.ending) return this.finishEnding();
    this.finish('completed', 'Experiment completed.');
  }

  /** Each target used by an action, resolved once. Returns undefined if the experiment failed here. */
  private async resolveTargets(): Promise<Map<string, LocalResource[]> | undefined> {
    // Let StartExperiment answer `initiating` first, as FIS does, whatever resolution finds.
    await Promise.resolve();
    const used = new Set(Object.values(this.experiment.actions).flatMap((a) => Object.values(a.targets ?? {})));
    const resolved = new Map<string, LocalResource[]>();
    const skipEmpty = this.experiment.experimentOptions.emptyTargetResolutionMode === 'skip';
    for (const name of used) {
      const resources = resolveTarget(
        name,
        this.experiment.targets[name],
        this.deps.controlPlane,
        this.deps.location,
        this.experiment.seed,
      );
      if (resources.length === 0 && !skipEmpty) {
        this.cancelPending(`Target '${name}' resolved to no resources.`);
        this.finish('failed', `Target resolution failed: target '${name}' matched no resources.`);
        return undefined;
      }
      resolved.set(name, resources);
      this.experiment.resolvedTargets.push(
        ...resources.map((r) => ({ targetName: name, resourceType: r.resourceType, arn: r.arn, id: r.id })),
      );
      this.deps.log(`${this.experiment.id}: target ${name} → ${resources.map((r) => r.id).join(', ') || '(none)'}`);
    }
    return resolved;
  }

  /** An action's final status, once: it waits for its startAfter actions, then runs (or not). */
  private outcome(name: string, resolved: Map<string, LocalResource[]>): Promise<ActionStatus> {
    let outcome = this.outcomes.get(name);
    if (!outcome) {
      outcome = (async () => {
        const before = await Promise.all((this.experiment.actions[name].startAfter ?? []).map((n) => this.outcome(n, resolved)));
        if (this.ending) return this.setAction(name, 'cancelled', this.cancelReason());
        if (before.some((s) => s !== 'completed' && s !== 'skipped'))
          return this.setAction(name, 'cancelled', 'An action it starts after did not complete.');
        const targets = this.actionTargets(name, resolved);
        if (this.dryRun) return this.skipForDryRun(name, targets);
        const empty = Object.entries(targets).find(([, resources]) => resources.length === 0);
        if (empty)
          return this.setAction(
            name,
            'skipped',
            `Target '${empty[0]}' resolved to no resources; skipped (emptyTargetResolutionMode skip).`,
          );
        return this.runAction(name, targets);
      })();
      this.outcomes.set(name, outcome);
    }
    return outcome;
  }

  /** actionsMode skip-all: say what the action would do to which resources, inject nothing. */
  private skipForDryRun(name: string, targets: Record<string, LocalResource[]>): ActionStatus {
    const action = this.experiment.actions[name];
    const on = Object.entries(targets).map(([key, resources]) => `${key}=${resources.map((r) => r.id).join(',') || '(none)'}`);
    this.deps.log(
      `${this.experiment.id} ${name} (${action.actionId}): dry run, would run` +
        `${on.length ? ` on ${on.join(' ')}` : ''} with ${JSON.stringify(action.parameters ?? {})}`,
    );
    return this.setAction(name, 'skipped', 'Action was skipped because actionsMode is skip-all.');
  }

  private actionTargets(name: string, resolved: Map<string, LocalResource[]>): Record<string, LocalResource[]> {
    const entries = Object.entries(this.experiment.actions[name].targets ?? {});
    return Object.fromEntries(entries.map(([key, targetName]) => [key, resolved.get(targetName) ?? []]));
  }

  private async runAction(name: string, targets: Record<string, LocalResource[]>): Promise<ActionStatus> {
    const action = this.experiment.actions[name];
    const definition = this.deps.actions.get(action.actionId)!;
    const { clock } = this.deps;
    const signal = this.abort.signal;
    const undos: (() => Promise<void>)[] = [];
    action.startTime = clock.now();
    this.setAction(name, 'initiating', 'Action is initiating.');
    const context: ActionContext = {
      experimentId: this.experiment.id,
      actionName: name,
      source: `${this.experiment.id}/${name}`,
      parameters: action.parameters ?? {},
      targets,
      controlPlane: this.deps.controlPlane,
      clock,
      alarms: this.deps.alarms,
      seed: this.experiment.seed,
      signal,
      onEnd: (undo) => undos.push(undo),
      hold: async (ms) => void (await clock.sleep(ms, signal)),
      log: (m) => this.deps.log(`${this.experiment.id} ${name} (${action.actionId}): ${m}`),
    };
    this.setAction(name, 'running', 'Action is running.');
    let failure: string | undefined;
    try {
      await definition.run(context);
    } catch (error) {
      if (!signal.aborted) failure = (error as Error).message;
    }
    if (signal.aborted) this.setAction(name, 'stopping', 'Action is stopping.');
    const undoFailures = await undoAll(undos);
    if (undoFailures.length > 0)
      failure = [failure, `could not remove what it injected: ${undoFailures.join('; ')}`].filter(Boolean).join('; ');
    action.endTime = clock.now();
    if (failure) {
      context.log(`failed: ${failure}`);
      this.setAction(name, 'failed', failure);
      this.end('failed', `Action '${name}' failed: ${failure}`);
      return 'failed';
    }
    context.log(`${signal.aborted ? 'stopped' : 'completed'}${undos.length ? '; what it injected is removed' : ''}`);
    return signal.aborted
      ? this.setAction(name, 'stopped', 'Action was stopped.')
      : this.setAction(name, 'completed', 'Action was completed.');
  }

  private finishEnding(): void {
    this.cancelPending(this.cancelReason());
    this.finish(this.ending!.status, this.ending!.reason);
  }

  private cancelPending(reason: string): void {
    for (const [name, action] of Object.entries(this.experiment.actions))
      if (action.state.status === 'pending') this.setAction(name, 'cancelled', reason);
  }

  private cancelReason(): string {
    return this.ending?.status === 'failed'
      ? 'Experiment failed before the action started.'
      : 'Experiment was stopped before the action started.';
  }

  private finish(status: ExperimentStatus, reason: string): void {
    if (this.isOver()) return;
    this.experiment.endTime = this.deps.clock.now();
    this.setState(status, reason);
    this.deps.log(`${this.experiment.id}: ${status} — ${reason}`);
  }

  private isOver(): boolean {
    return isFinished(this.experiment.state.status);
  }

  private setState(status: ExperimentStatus, reason: string): void {
    this.experiment.state = { status, reason };
  }

  private setAction(name: string, status: ActionStatus, reason: string): ActionStatus {
    this.experiment.actions[name].state = { status, reason };
    return status;
  }
}

/** Runs every undo, newest first; one failing does not keep the others from running. */
async function undoAll(undos: (() => Promise<void>)[]): Promise<string[]> {
  const failures: string[] = [];
  for (const undo of [...undos].reverse()) {
    try {
      await undo();
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  return failures;
}
