import type { Teardown } from '@imagery/kernel/process/teardown';
import { directAws, DirectAws, httpUrl } from './direct-aws';
import type { Session } from './start-platform';

/** The platform's adapters straight to the emulator, and through the Toxiproxy proxies the fleet uses. */
export interface DirectClients {
  readonly direct: DirectAws;
  readonly viaProxy: DirectAws;
}

export function directClients(session: Session, teardown: Teardown): DirectClients {
  const proxies = session.platform.controlPlane.proxies;
  const direct = directAws(session.directEnv, session.platform.emulatorEndpoints);
  const viaProxy = directAws(session.directEnv, {
    dynamodb: httpUrl(proxies.dynamodb),
    s3: httpUrl(proxies.s3),
    sqs: httpUrl(proxies.sqs),
  });
  teardown.add([direct, viaProxy], (clients) => clients.forEach((a) => a.destroy()), 'AWS clients');
  return { direct, viaProxy };
}
