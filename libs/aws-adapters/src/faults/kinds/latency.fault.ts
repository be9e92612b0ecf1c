import { FaultKind } from '../fault-kind';

/** The call succeeds, late. */
export const latencyFault: FaultKind<'latency'> = {
  kind: 'latency',
  inject: async (call, spec, env) => {
    await env.sleep(spec.ms + Math.round(env.random() * spec.jitterMs));
    return call.send();
  },
};
