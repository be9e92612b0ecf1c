import type { ControlPlane } from '@imagery/control-plane/control-plane';
import type { FisClock } from '../clock';
import type { AlarmCatalog } from '../stop-conditions/alarms';
import type { LocalResource } from '../targets/local-resources';

export interface ParameterSpec {
  readonly description: string;
  readonly required: boolean;
  /** What is wrong with `value` (FIS parameters are always strings), or undefined if it is fine. */
  check?(value: string): string | undefined;
}

/** What one running action gets: its inputs, the platform, and the means to undo and to wait. */
export interface ActionContext {
  readonly experimentId: string;
  readonly actionName: string;
  /** Experiment id + action name: the `source` of API fault rules and the name of toxics, for clean removal. */
  readonly source: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** Resolved resources by the action's target key (`Instances`, `Roles`, `Subnets`). */
  readonly targets: Readonly<Record<string, readonly LocalResource[]>>;
  readonly controlPlane: ControlPlane;
  readonly clock: FisClock;
  /** The experiment's seed (template tag `seed`, or the simulator's). */
  readonly seed: number;
  /** Aborted when the action must stop early (StopExperiment, a stop condition, another action failing). */
  readonly signal: AbortSignal;
  /**
   * Registers how to remove what the action is about to inject. Every registered undo runs when
   * the action ends, however it ends (completed, stopped, failed), newest first. Register before
   * injecting, so a half-done injection is still undone.
   */
  onEnd(undo: () => Promise<void>): void;
  /** The simulator's alarms (for actions that read alarm states). */
  readonly alarms: AlarmCatalog;
  /** Keeps the fault in place for `ms`, or less if the action is stopped. */
  hold(ms: number): Promise<void>;
  log(message: string): void;
}

/**
 * A FIS action type, like a Toxiproxy toxic: one file each in this folder, registered by id in
 * index.ts. Its description, parameters and targets are what ListActions/GetAction report and
 * what template validation checks.
 */
export interface FisAction {
  readonly id: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
  /** Target keys the action takes (all required), with the resource type each must be. */
  readonly targets: Readonly<Record<string, { readonly resourceType: string }>>;
  /** Checks across parameters (each parameter's own check runs first), with what the simulator knows. */
  validate?(parameters: Readonly<Record<string, string>>, context: { readonly alarms: AlarmCatalog }): string[];
  run(context: ActionContext): Promise<void>;
}
