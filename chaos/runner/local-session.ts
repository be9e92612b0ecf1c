import { type StartPlatformOptions, startPlatformSession } from '../../platform/local/session';
import { startFisSimulator } from '../fis';

/** A local platform session with the FIS simulator on its control plane: what the runner starts when none is running. */
export const startLocalSession = (options: Omit<StartPlatformOptions, 'experiments'> = {}) =>
  startPlatformSession({ ...options, experiments: startFisSimulator });
