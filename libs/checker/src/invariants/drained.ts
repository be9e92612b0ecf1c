import { imageIdOfMessage } from '../run-scope';
import type { SyncInvariant, Violation } from '../violation';

/**
 * Drained: the main queue holds nothing (visible + in flight + delayed == 0), and the dead-letter
 * queue holds none of this run's messages unless dead letters are allowed (poison on purpose).
 * A scoped state (readFinalState with a scope) lists only this run's dead letters; an earlier
 * run's are counted as ignored and never judged. Unscoped, every dead letter counts. Dead letters
 * the queue reports but the peek could not read are a violation of their own: they cannot be judged.
 */
export const drained: SyncInvariant = ({ state, options }) => {
  const violations: Violation[] = [];
  const { visible, inFlight, delayed } = state.queue;
  if (visible + inFlight + delayed > 0) {
    violations.push({
      invariant: 'drained',
      ids: [],
      message: `main queue not empty: ${visible} visible, ${inFlight} in flight, ${delayed} delayed`,
    });
  }
  const dlq = state.deadLetter;
  const scoped = dlq.ignored !== undefined;
  const count = scoped ? dlq.messages.length : Math.max(dlq.visible + dlq.inFlight, dlq.messages.length);
  if (!options.allowDeadLetters && count > 0) {
    const sample = dlq.messages.slice(0, 3).map((body) => JSON.stringify(body.length > 120 ? `${body.slice(0, 120)}…` : body));
    violations.push({
      invariant: 'drained',
      ids: [...new Set(dlq.messages.flatMap((body) => imageIdOfMessage(body) ?? []))],
      message: `dead-letter queue holds ${count} message(s) of this run${sample.length ? `: ${sample.join(', ')}` : ''}`,
    });
  }
  // Dead letters the peek could not read may be this run's: judging only the ones seen would be blind.
  if (!options.allowDeadLetters && (dlq.unseen ?? 0) > 0) {
    violations.push({
      invariant: 'drained',
      ids: [],
      message:
        `dead-letter queue: ${dlq.unseen} of the ${dlq.visible + dlq.inFlight} message(s) it reports could not be read, ` +
        'so its dead letters were judged on a partial list',
    });
  }
  return violations;
};
