/**
 * The history, Jepsen's model: the one place where the workload (load/), the nemesis (the FIS
 * experiment, the fleet, Toxiproxy, the fault rules inside each instance) and the checker meet.
 * A run writes it as JSON Lines (`history.jsonl`), one entry per line, every entry stamped on the
 * same clock (epoch milliseconds of this machine). The report, the checker and the benchmarks read
 * only this file and the final state.
 */

import type { FaultLogEntry } from '@imagery/aws-adapters';

export type ClientOp = 'create' | 'upload' | 'get';

/** Deliberately bad requests the workload sends, each expecting a 4xx. */
export type BadInputKind = 'not-an-image' | 'truncated' | 'too-large' | 'bad-id';

/**
 * How a client operation completed, Jepsen's three types:
 * - `ok`: a 2xx — the operation took effect;
 * - `fail`: a 4xx — definitely not applied;
 * - `info`: the outcome is unknown — a network error, a timeout, a 5xx (it may have been applied).
 */
export type CompletionType = 'ok' | 'fail' | 'info';

interface ClientFields {
  /** Epoch ms. */
  readonly time: number;
  /** The logical client (one journey) that issued the operation; a journey's operations are sequential. */
  readonly process: number;
  readonly op: ClientOp;
  /** The image id the request names (for `bad-id`, the malformed id sent). */
  readonly id: string;
  /** 1 for the first try, 2+ for a retry of the very same request (same id, same bytes). */
  readonly attempt: number;
  /** Sent as `x-request-id`, unique per attempt in the run; injected faults carry it back. */
  readonly requestId: string;
  /** The request's place in its journey (1, 2, …; retries keep it): with `attempt`, what the request id is made of. */
  readonly step?: number;
  /** Set on deliberately bad requests: a 4xx is the right answer. */
  readonly bad?: BadInputKind;
  /** For uploads: SHA-256 of the bytes sent (names the raw object: upload/<id>/<sha256>). */
  readonly sha256?: string;
}

export interface InvokeEntry extends ClientFields {
  readonly type: 'invoke';
  /**
   * On a journey's first request only: what the journey is (its start offset `at`, ms since the
   * workload's start, its kind, ids and fixtures), so the run's workload can be replayed exactly.
   * load/recorded-workload.ts defines and checks it; the history carries it as it is.
   */
  readonly journey?: Readonly<Record<string, unknown>>;
}

export interface CompletionEntry extends ClientFields {
  readonly type: CompletionType;
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  readonly status: number;
  /** The error code of a 4xx/5xx JSON body, or the network error's name ("timeout", "ECONNRESET"). */
  readonly error?: string;
  /** The item's version and state in a 2xx response body. */
  readonly version?: number;
  readonly state?: string;
}

/** The workload's own start and end: a history without `end` (the generator died) is incomplete. */
export interface WorkloadEntry {
  readonly type: 'workload';
  readonly time: number;
  readonly phase: 'start' | 'end';
  /** On `end`: how the workload ended. `aborted` = a threshold with abortOnFail, or a signal. */
  readonly outcome?: 'completed' | 'aborted';
  /** On `start`: what a replay needs to make the same choices (seed, scenario, rates, fixtures...). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** On `start`: how many thresholds the run will evaluate; an `end` without them then cannot pass. */
  readonly thresholdCount?: number;
  /** On an `aborted` end: why (a threshold's expression, `signal`, or the evaluation's own error). */
  readonly reason?: string;
  /** On `end`: the thresholds as evaluated, so a checker reading only the history can judge them. */
  readonly thresholds?: readonly WorkloadThreshold[];
  /** On `end`: journeys interrupted (gracefulStop passed, or an abort), and journeys that threw (a bug). */
  readonly interrupted?: number;
  readonly journeyErrors?: number;
}

/** One threshold as the workload evaluated it (load/engine/thresholds.ts ThresholdResult). */
export interface WorkloadThreshold {
  readonly metric: string;
  readonly expression: string;
  readonly ok: boolean;
  /** Absent when the metric had no samples (then `ok` is false: a gate that saw nothing). */
  readonly value?: number;
}

/** Something the nemesis did or saw. */
export type NemesisEvent =
  | {
      readonly kind: 'fis-experiment';
      readonly phase: 'start' | 'end';
      readonly experimentId: string;
      readonly state?: string;
      readonly reason?: string;
    }
  | {
      readonly kind: 'fis-action';
      readonly phase: 'start' | 'end';
      readonly experimentId: string;
      /** The action's name in the template, and its FIS action id (`aws:ec2:terminate-instances`). */
      readonly action: string;
      readonly actionId: string;
      readonly state?: string;
      readonly targets?: readonly string[];
    }
  | {
      readonly kind: 'instance';
      readonly phase: 'launched' | 'healthy' | 'terminated' | 'stopped' | 'started' | 'died' | 'replaced';
      /**
       * The instance id (`i-api-1-1`: slot 1, first launch), its fleet role and slot, and the
       * slot's generation (0, then +1 per replacement).
       */
      readonly instance: string;
      readonly role: 'api' | 'worker';
      readonly slot: number;
      readonly generation: number;
      readonly replacement?: string;
    }
  /**
   * Toxics and cut proxies. `added`/`removed` and `disabled`/`enabled` are read from the FIS
   * actions' parameters (what was asked); `observed` / `observed-disabled` are what Toxiproxy
   * itself showed in place (chaos/runner/toxiproxy-observer.ts), once per contiguous presence,
   * at the time first seen: the proof that a network fault fired.
   */
  | {
      readonly kind: 'toxic';
      readonly phase: 'added' | 'removed' | 'observed';
      readonly proxy: string;
      readonly name: string;
      readonly toxic: string;
      readonly attributes?: Readonly<Record<string, number>>;
      /** On `added`: the direction and share of connections it acts on, as asked (a replay asks the same). */
      readonly stream?: 'upstream' | 'downstream';
      readonly toxicity?: number;
    }
  | { readonly kind: 'proxy'; readonly phase: 'disabled' | 'enabled' | 'observed-disabled'; readonly proxy: string }
  /**
   * An API fault an instance injected: which call of which instance (and generation) got which
   * fault, and the client request it hit. Instances write these lines themselves (their fault log,
   * libs/aws-adapters/src/faults/fault-log.ts defines the shape); the runner merges them in.
   */
  | FaultLogEntry['event'];

export interface NemesisEntry {
  readonly type: 'nemesis';
  readonly time: number;
  readonly event: NemesisEvent;
}

export type HistoryEntry = InvokeEntry | CompletionEntry | WorkloadEntry | NemesisEntry;

export const HISTORY_FILE = 'history.jsonl';
