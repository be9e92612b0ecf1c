import type { StoredItem } from '../stored-state';
import { indexHistory, isInfo, isOk, type Operation } from '../history-index';
import type { SyncInvariant, Violation } from '../violation';

/** Bad uploads that, once (wrongly) acknowledged, can only end `failed`. */
const UNDECODABLE = new Set(['not-an-image', 'truncated']);

/**
 * Every image ends. For every id the run touched (named by the history, or an item of the run):
 *  - an acknowledged create or upload has an item;
 *  - an item is never left half-way after the drain: `uploaded` is a violation whether or not any
 *    client saw the upload acknowledged (an `info` upload may have been applied: it may end either
 *    way, `created` or finished, but never `uploaded`); `created` is one only after a 2xx upload;
 *  - an item that existed when the run started (given the store's baseline) is still there;
 *  - `processed` names its processed object; `failed` carries a reason, and only an upload known
 *    to be undecodable (bad on purpose, or listed in expectedFailed) may end `failed`.
 */
export const everyImageEnds: SyncInvariant = ({ history, state, options }) => {
  const index = indexHistory(history);
  const items = new Map(state.items.map((item) => [item.id, item]));
  const ids = new Set([...index.byId.keys(), ...items.keys()]);
  const violations: Violation[] = [];
  for (const id of ids) {
    const ops = index.byId.get(id) ?? [];
    const item = items.get(id);
    const report = (message: string) => violations.push({ invariant: 'every-image-ends', ids: [id], message });
    const uploads = ops.filter((o) => o.invoke.op === 'upload');
    const ackedUpload = uploads.find(isOk);
    if (!item) {
      if (ackedUpload) report(`${describeUploads(uploads)}, but there is no item`);
      else if (ops.some((o) => o.invoke.op === 'create' && isOk(o))) report('acknowledged create, but there is no item');
      continue;
    }
    const why = unfinished(item, ackedUpload !== undefined, () => undecodable(id, uploads, options.expectedFailed));
    if (why) report(`${describeUploads(uploads)}${why}`);
  }
  // Nothing deletes an item: one that existed when the run started and is gone was lost during it.
  for (const [id, was] of state.before?.vanished ?? []) {
    violations.push({
      invariant: 'every-image-ends',
      ids: [id],
      message: `existed when the run started (v${was.version} ${was.state}) and is gone`,
    });
  }
  return violations;
};

/** Why the item is not finished, or undefined when it is (or legitimately never started). */
function unfinished(item: StoredItem, acked: boolean, undecodable: () => boolean): string | undefined {
  switch (item.state) {
    case 'created':
      return acked ? ` but the item is still \`created\` (v${item.version})` : undefined;
    case 'uploaded':
      return ` stuck in \`uploaded\` (v${item.version})`;
    case 'processed':
      return item.processedS3Key ? undefined : ` ended \`processed\` (v${item.version}) without a processedS3Key`;
    case 'failed':
      if (!item.failureReason) return ` ended \`failed\` (v${item.version}) without a reason`;
      return undecodable() ? undefined : ` ended \`failed\` (${item.failureReason}) although it uploaded a valid image`;
    default:
      return ` ended in an unknown state ${JSON.stringify(item.state)} (v${item.version})`;
  }
}

function undecodable(id: string, uploads: readonly Operation[], expectedFailed?: ReadonlySet<string>): boolean {
  if (expectedFailed?.has(id)) return true;
  return uploads.length > 0 && uploads.every((o) => UNDECODABLE.has(o.invoke.bad ?? ''));
}

/**
 * How the clients' uploads went, the way a violation opens:
 * "acknowledged upload (attempt 2, after an `info`)", "upload never acknowledged (2 attempts: info 503, info timeout)",
 * "no client uploaded".
 */
export function describeUploads(uploads: readonly Operation[]): string {
  if (uploads.length === 0) return 'no client uploaded';
  const acked = uploads.find(isOk);
  if (acked) {
    const before = uploads.slice(0, uploads.indexOf(acked));
    const after = before.some(isInfo) ? ', after an `info`' : before.length ? `, after ${before.length} failed attempt(s)` : '';
    return `acknowledged upload (attempt ${acked.invoke.attempt}${after})`;
  }
  const outcomes = uploads.map((o) =>
    o.completion ? `${o.completion.type} ${o.completion.status || o.completion.error || 'no response'}` : 'no completion',
  );
  return `upload never acknowledged (${uploads.length} attempt(s): ${outcomes.join(', ')})`;
}
