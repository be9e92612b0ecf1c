import { round1 } from '@imagery/kernel/stats';
import { waitForDrain } from '../../chaos/runner/drain';
import { waitForServersUp } from '../../platform/local/haproxy/servers-up';
import type { Session } from './start-platform';

/** Waits (bounded) until the queue is empty and no image is left uploaded: the next phase starts without a backlog. */
export async function drain(session: Session, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const result = await waitForDrain({ env: session.directEnv }, timeoutMs);
  const waited = round1(result.waitedMs / 1000);
  log(
    result.drained
      ? `drained in ${waited} s`
      : `NOT drained after ${waited} s (${result.queued} queued, ${result.uploaded} uploaded): the next phase starts with a backlog`,
  );
}

/** After a kill: wait until every slot runs again and HAProxy has every API server UP. */
export async function fleetWhole(
  session: Session,
  slots: { readonly apiCount: number; readonly workerCount: number },
  timeoutMs: number,
  log: (line: string) => void,
): Promise<void> {
  const { fleet, haproxy } = session.platform.controlPlane;
  const t0 = Date.now();
  const slotsRun = (): boolean => {
    const running = fleet.instances().filter((i) => i.state === 'running');
    return (
      running.filter((i) => i.role === 'api').length >= slots.apiCount &&
      running.filter((i) => i.role === 'worker').length >= slots.workerCount
    );
  };
  const { up, checks } = await waitForServersUp(haproxy, slots.apiCount, timeoutMs, { intervalMs: 250, alsoRequire: slotsRun });
  if (!up) log(`fleet NOT whole after ${timeoutMs / 1000} s: continuing`);
  else if (checks > 1) log(`fleet whole again after ${round1((Date.now() - t0) / 1000)} s`);
}
