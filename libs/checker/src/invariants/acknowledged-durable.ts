import { describeOperation, indexHistory, isOk, type Operation } from '../history-index';
import { firstAndCount, type SyncInvariant, type Violation } from '../violation';

/**
 * Acknowledged means durable. For each id:
 *  - once an upload was acknowledged (its 2xx completed at T), no 2xx to an operation invoked after
 *    T shows the state `created` (the acknowledged upload cannot be forgotten);
 *  - once a create was acknowledged, no operation invoked after it is answered 404 (the
 *    acknowledged item cannot vanish);
 *  - at most one content is acknowledged as the image's upload: two uploads of different bytes
 *    both answered 2xx cannot both be durable (one item holds one raw object; the other writer
 *    must have been refused, 409).
 */
export const acknowledgedDurable: SyncInvariant = ({ history }) => {
  const index = indexHistory(history);
  const violations: Violation[] = [];
  for (const [id, ops] of index.byId) {
    const say = (o: Operation) => describeOperation(o, index.origin);
    const uploaded = firstAck(ops.filter((o) => o.invoke.op === 'upload'));
    const created = firstAck(ops.filter((o) => o.invoke.op === 'create'));
    const forgotten = uploaded
      ? ops.filter((o) => o.invoke.time > uploaded.completion!.time && isOk(o) && o.completion.state === 'created')
      : [];
    const vanished = created ? ops.filter((o) => o.invoke.time > created.completion!.time && o.completion?.status === 404) : [];
    const messages: (string | undefined)[] = [
      firstAndCount(
        forgotten.map((o) => `read \`created\` after an acknowledged upload: ${say(uploaded!)}, then ${say(o)}`),
        'such reads',
      ),
      firstAndCount(
        vanished.map((o) => `not found after an acknowledged create: ${say(created!)}, then ${say(o)}`),
        'such reads',
      ),
    ];
    const acceptedBytes = new Set(ops.filter((o) => o.invoke.op === 'upload' && isOk(o) && o.invoke.sha256).map((o) => o.invoke.sha256));
    if (acceptedBytes.size > 1) {
      const accepted = ops.filter((o) => o.invoke.op === 'upload' && isOk(o)).map((o) => `${say(o)} (${o.invoke.sha256!.slice(0, 12)})`);
      messages.push(`${acceptedBytes.size} different uploads acknowledged, only one can be the image: ${accepted.join(', ')}`);
    }
    for (const message of messages) if (message) violations.push({ invariant: 'acknowledged-durable', ids: [id], message });
  }
  return violations;
};

const firstAck = (ops: Operation[]): Operation | undefined => ops.filter(isOk).sort((a, b) => a.completion.time - b.completion.time)[0];
