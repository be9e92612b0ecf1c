import { conflict, notFound, validationError } from './errors';
import type { FisLocation } from './identifiers';

export type SafetyLeverStatus = 'disengaged' | 'engaged' | 'engaging';

export interface SafetyLeverRecord {
  readonly id: string;
  readonly arn: string;
  state: { status: SafetyLeverStatus; reason: string };
}

/** FIS has one lever per account and region, with the id `default`. */
export const SAFETY_LEVER_ID = 'default';

/**
 * The account's emergency stop (GetSafetyLever, UpdateSafetyLeverState). Engaging it stops every
 * running experiment (they end `stopped`) and, while it is engaged, an experiment that is started
 * ends at once `cancelled`; the lever reports `engaging` until the running ones have stopped.
 * Setting the status it already has is a ConflictException, as in FIS.
 */
export class SafetyLever {
  private readonly lever: SafetyLeverRecord;

  constructor(
    location: FisLocation,
    /** Stops every running experiment with `reason`; resolves once their faults are removed. */
    private readonly stopRunning: (reason: string) => Promise<void>,
  ) {
    this.lever = {
      id: SAFETY_LEVER_ID,
      arn: `arn:aws:fis:${location.region}:${location.account}:safety-lever/${SAFETY_LEVER_ID}`,
      state: { status: 'disengaged', reason: 'Safety lever is disengaged.' },
    };
  }

  get(id: string): SafetyLeverRecord {
    if (id !== SAFETY_LEVER_ID) throw notFound(`Safety lever ${id} not found`);
    return structuredClone(this.lever);
  }

  /** Engaged or engaging: new experiments are refused (`cancelled`). */
  get engaged(): boolean {
    return this.lever.state.status !== 'disengaged';
  }

  update(id: string, body: Record<string, unknown>): SafetyLeverRecord {
    this.get(id);
    const state = body.state as { status?: unknown; reason?: unknown } | undefined;
    if (typeof state !== 'object' || state === null) throw validationError('state: Required');
    const { status, reason } = state;
    if (status !== 'engaged' && status !== 'disengaged')
      throw validationError(`state.status: "${String(status)}" must be one of engaged, disengaged`);
    if (typeof reason !== 'string' || reason.length === 0) throw validationError('state.reason: Required');
    const current = this.lever.state.status;
    if (current === status || (current === 'engaging' && status === 'engaged')) throw conflict(`Safety lever ${id} is already ${current}`);
    if (current === 'engaging') throw conflict(`Safety lever ${id} is still engaging; disengage it once it is engaged`);
    if (status === 'disengaged') {
      this.lever.state = { status: 'disengaged', reason };
    } else {
      this.lever.state = { status: 'engaging', reason };
      void this.stopRunning(`Experiment stopped by the safety lever: ${reason}`).finally(() => {
        if (this.lever.state.status === 'engaging') this.lever.state = { status: 'engaged', reason };
      });
    }
    return this.get(id);
  }
}
