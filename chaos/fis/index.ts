export { startFisSimulator, DEFAULT_FIS_PORT } from './fis-simulator';
export type { FisSimulator, FisSimulatorOptions } from './fis-simulator';
export type { FisClock } from './clock';
export { wallFisClock } from './clock';
export { FIS_ACTIONS } from './actions';
export type { FisAction, ActionContext } from './actions';
export { LOCAL_ALARMS } from './stop-conditions/alarms';
export type { AlarmDefinition } from './stop-conditions/alarms';
export type { ExperimentTemplateInput } from './templates/template-model';
