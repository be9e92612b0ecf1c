import { notFound, validationError } from '../errors';
import type { AlarmOverrides } from '../stop-conditions/alarm-overrides';
import type { AlarmCatalog } from '../stop-conditions/alarms';
import { Router } from './router';

/** Paths the simulator serves beside the FIS API (not FIS operations: kept out of the model diff). */
export const LOCAL_PREFIX = '/local/';

const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;

/**
 * CloudWatch's SetAlarmState, at a local path: `POST /local/alarms/<name>/state` with
 * `{"stateValue": "ALARM" | "OK" | "INSUFFICIENT_DATA", "stateReason": "..."}` (CloudWatch's field
 * names). A process that is not the simulator's (the runner attached to `npm start`) raises an
 * alarm a stop condition names this way. `GET` answers the set state.
 */
export function localAlarmRoutes(alarms: AlarmCatalog, overrides: AlarmOverrides, now: () => number): Router {
  const known = (name: string) => {
    if (!alarms.has(name)) throw notFound(`alarm ${name} is not defined locally; known alarms: ${[...alarms.keys()].join(', ')}`);
  };
  return new Router()
    .add('SetAlarmState', 'POST', '/local/alarms/{name}/state', ({ params, body }) => {
      known(params.name);
      const state = body.stateValue;
      if (!STATES.includes(state as (typeof STATES)[number]))
        throw validationError(`stateValue must be one of ${STATES.join(', ')}; got ${JSON.stringify(state)}`);
      if (typeof body.stateReason !== 'string' || body.stateReason === '') throw validationError('stateReason must be a non-empty string');
      overrides.set(params.name, state as (typeof STATES)[number], body.stateReason, now());
      return { alarmName: params.name, stateValue: state };
    })
    .add('GetAlarmState', 'GET', '/local/alarms/{name}/state', ({ params }) => {
      known(params.name);
      const set = overrides.get(params.name);
      return { alarmName: params.name, stateValue: set?.state ?? 'OK', ...(set ? { stateReason: set.reason } : {}) };
    });
}
