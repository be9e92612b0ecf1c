import { BIND_FAILURE } from './free-port';

/**
 * HAProxy, Toxiproxy and the emulator retry a taken port themselves. The fleet's instances do not
 * (platform/local/fleet relaunches a slot on the same port): when one could not bind its picked port, the
 * topology, which stopped everything it had started, starts again on newly picked ports.
 */
export async function retryOnBindFailure<T>(start: () => Promise<T>, log: (line: string) => void, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= attempts || !BIND_FAILURE.test((err as Error).message)) throw err;
      log(`a port was taken before it was bound (${(err as Error).message.split('\n')[0]}); starting again on other ports`);
    }
  }
}
