import { RecoveryPath, reachCounts } from '@imagery/domain';

/**
 * The recovery paths `work` reached, with how often: the process's counts after it minus before
 * (the counts are process-wide, so a spec compares, it never resets).
 */
export async function reachesDuring(work: () => Promise<unknown>): Promise<Partial<Record<RecoveryPath, number>>> {
  const before = reachCounts();
  await work().catch(() => undefined);
  const reached: Partial<Record<RecoveryPath, number>> = {};
  for (const [path, n] of reachCounts()) if (n > (before.get(path) ?? 0)) reached[path] = n - (before.get(path) ?? 0);
  return reached;
}
