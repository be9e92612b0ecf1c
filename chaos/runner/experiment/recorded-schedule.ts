import type { ActionEffect } from '@imagery/checker/action-effects';
import type { FaultSchedule } from '../../nemesis/schedule/fault-schedule';

/**
 * The schedule a run's replay record carries when the run executed none given to it: the faults it
 * fired, plus its fault actions that fired nothing (a run INCONCLUSIVE for them replays as one).
 */
export function recordedSchedule(fired: FaultSchedule, effects: readonly ActionEffect[]): FaultSchedule {
  const idleActions = effects.filter((e) => e.fired === 0).map(({ action, actionId }) => ({ action, actionId }));
  return idleActions.length > 0 ? { ...fired, idleActions } : fired;
}
