import type { CompletionEntry } from '@imagery/history/history-entry';
import { STATE_RANK, describeOperation, indexHistory, isOk, type Operation } from '../history-index';
import { firstAndCount, type SyncInvariant, type Violation } from '../violation';

/** What a client (or the final scan) saw of an item. */
interface Observation {
  readonly version?: number;
  readonly state?: string;
}

type Observed = Operation & { completion: CompletionEntry };

/**
 * Monotonic. For each id, over the 2xx responses that carry a version: whenever observation A
 * completed before observation B was invoked (real-time order; overlapping operations may
 * legitimately be served in either order, so they are not compared), then
 *  - B.version >= A.version,
 *  - B's state is not earlier in created < uploaded < processed|failed, nor the other terminal state,
 *  - and an equal version shows the same state (a state change always bumps the version).
 * The final item (read after everything ended) must likewise be at or after every observation, and
 * at or after the item as it was when the run started (given the store's baseline; any item).
 */
export const monotonic: SyncInvariant = ({ history, state }) => {
  const index = indexHistory(history);
  const items = new Map(state.items.map((item) => [item.id, item]));
  const violations: Violation[] = [];
  for (const [id, ops] of index.byId) {
    const seen = ops.filter((o): o is Observed => isOk(o) && o.completion.version !== undefined);
    const report = (message: string) => violations.push({ invariant: 'monotonic', ids: [id], message });
    const say = (o: Operation) => describeOperation(o, index.origin);
    const reads = seen.flatMap((b) => {
      const broken = firstBackwards(
        seen.filter((a) => a.completion.time < b.invoke.time),
        b.completion,
      );
      return broken ? [`went backwards: ${say(broken.before)}, then ${say(b)} (${broken.why})`] : [];
    });
    const backwardsReads = firstAndCount(reads, 'responses behind an earlier one');
    if (backwardsReads) report(backwardsReads);
    const item = items.get(id);
    const passed = item && firstBackwards(seen, item);
    if (item && passed) report(`final item v${item.version} ${item.state} is behind an observation: ${say(passed.before)} (${passed.why})`);
  }
  // Items that existed when the run started, history or not: the end is never behind the start.
  for (const [id, was] of state.before?.preexisting ?? []) {
    const item = items.get(id);
    const why = item && backwards(was, item);
    if (why)
      violations.push({
        invariant: 'monotonic',
        ids: [id],
        message:
          `went backwards during the run: v${was.version} ${was.state} at its start, ` +
          `v${item.version} ${item.state} at its end (${why})`,
      });
  }
  return violations;
};

function firstBackwards(befores: Observed[], after: Observation): { before: Observed; why: string } | undefined {
  for (const before of befores) {
    const why = backwards(before.completion, after);
    if (why) return { before, why };
  }
  return undefined;
}

/** Why `after` is behind `before`, or undefined when it is not. */
function backwards(before: Observation, after: Observation): string | undefined {
  if (before.version !== undefined && after.version !== undefined && after.version < before.version)
    return `version ${before.version} → ${after.version}`;
  const [from, to] = [before.state, after.state];
  if (from === undefined || to === undefined || from === to) return undefined;
  const [rankFrom, rankTo] = [STATE_RANK[from], STATE_RANK[to]];
  if (rankFrom !== undefined && rankTo !== undefined && rankTo < rankFrom) return `state ${from} → ${to}`;
  if (rankFrom !== undefined && rankFrom === rankTo) return `state ${from} → ${to}`;
  if (before.version !== undefined && before.version === after.version) return `state ${from} → ${to} without a version bump`;
  return undefined;
}
