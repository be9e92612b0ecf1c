import { FaultKind } from '../fault-kind';

/** The process dies right before the call, or right after the service applied it. */
export const crashFault: FaultKind<'crash'> = {
  kind: 'crash',
  inject: async (call, spec, env) => {
    if (spec.when === 'after') await call.send();
    env.crash();
    return new Promise(() => undefined); // never answers: the process is gone
  },
};
