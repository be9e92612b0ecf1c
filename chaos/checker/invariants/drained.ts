import type { Invariant, Violation } from '../violation';

/**
 * 4. Drained: the main queue holds nothing (visible + in flight + delayed == 0), and the
 * dead-letter queue holds nothing unless dead letters are allowed (allowDeadLetters).
 * The ids are those named by the dead letters' bodies ({"imageId": ...}).
 */
export const drained: Invariant = (_history, state, options = {}) => {
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
  if (!options.allowDeadLetters && dlq.visible + dlq.inFlight + dlq.messages.length > 0) {
    const count = Math.max(dlq.visible + dlq.inFlight, dlq.messages.length);
    const sample = dlq.messages.slice(0, 3).map((body) => JSON.stringify(body.length > 120 ? `${body.slice(0, 120)}…` : body));
    violations.push({
      invariant: 'drained',
      ids: [...new Set(dlq.messages.flatMap(imageIdOf))],
      message: `dead-letter queue holds ${count} message(s)${sample.length ? `: ${sample.join(', ')}` : ''}`,
    });
  }
  return violations;
};

function imageIdOf(body: string): string[] {
  try {
    const imageId = (JSON.parse(body) as { imageId?: unknown } | null)?.imageId;
    return typeof imageId === 'string' ? [imageId] : [];
  } catch {
    return [];
  }
}
