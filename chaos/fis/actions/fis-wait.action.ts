import { requireIsoDuration } from '../iso-duration';
import type { FisAction } from './fis-action';
import { durationParameter } from './parameters';

/** Does nothing for `duration`: a gap between actions ordered with startAfter. */
export const fisWait: FisAction = {
  id: 'aws:fis:wait',
  description: 'Waits for the given duration.',
  parameters: { duration: durationParameter('How long to wait.') },
  targets: {},
  run: (context) => context.hold(requireIsoDuration(context.parameters.duration, 'duration')),
};
