import { describeEvent, eventsById, isAcknowledged } from '../history-index';
import type { Invariant, Violation } from '../violation';

/**
 * 5. Acknowledged means durable. For each id:
 *  - once an upload was acknowledged (2xx, ending at T), no 2xx response to a request started
 *    after T shows the state `created` (the acknowledged upload cannot be forgotten);
 *  - once a create was acknowledged, no request (get or upload) started after it is answered
 *    404 (the acknowledged item cannot vanish).
 */
export const acknowledgedDurable: Invariant = (history) => {
  const violations: Violation[] = [];
  for (const [id, events] of eventsById(history)) {
    const uploadedAt = firstAck(events.filter((e) => e.op === 'upload'));
    const createdAt = firstAck(events.filter((e) => e.op === 'create'));
    for (const e of events) {
      if (uploadedAt && e.start > uploadedAt.end && isAcknowledged(e) && e.state === 'created') {
        violations.push({
          invariant: 'acknowledged-durable',
          ids: [id],
          message: `read created after an acknowledged upload: ${describeEvent(uploadedAt)}, then ${describeEvent(e)}`,
        });
      }
      if (createdAt && e.start > createdAt.end && e.status === 404) {
        violations.push({
          invariant: 'acknowledged-durable',
          ids: [id],
          message: `not found after an acknowledged create: ${describeEvent(createdAt)}, then ${describeEvent(e)}`,
        });
      }
    }
  }
  return violations;
};

const firstAck = <E extends { end: number; status: number }>(events: E[]): E | undefined =>
  events.filter((e) => e.status >= 200 && e.status < 300).sort((a, b) => a.end - b.end)[0];
