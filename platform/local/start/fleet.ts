import type { InstanceRole } from '@imagery/control-plane/control-plane';
import type { FaultRegistry } from '../fault-rules/fault-rule-registry';
import type { FleetSlot } from '../fleet/fleet-slot';
import { LocalFleet } from '../fleet/local-fleet';
import { HAPROXY_CHECK_DEFAULTS } from '../haproxy/haproxy-config';
import type { ChaosNetwork } from './network';

export interface FleetNeeds {
  readonly host: string;
  readonly slots: readonly FleetSlot[];
  readonly network: ChaosNetwork;
  /** New instances start with the registry's active API fault rules. */
  readonly apiFaults: FaultRegistry;
  readonly replaceAfterMs?: number;
  readonly chaosSeed?: number;
  readonly roleEnv?: Partial<Record<InstanceRole, Record<string, string>>>;
  readonly quiet?: boolean;
  readonly readyTimeoutMs?: number;
  readonly log: (line: string) => void;
}

/** The API and worker fleet, chaos mode on, each instance reaching AWS through its zone's proxies; resolves once all are ready. */
export async function startChaosFleet(needs: FleetNeeds): Promise<LocalFleet> {
  const check = HAPROXY_CHECK_DEFAULTS;
  const { zoneEnv } = needs.network;
  return LocalFleet.start(
    {
      host: needs.host,
      slots: needs.slots,
      env: zoneEnv('a'),
      zoneEnv,
      roleEnv: needs.roleEnv,
      faultRules: (role) => needs.apiFaults.rulesFor(role),
      replaceAfterMs: needs.replaceAfterMs,
      // On SIGTERM an API instance reports unready for (fall + 1) check intervals before closing:
      // HAProxy needs `fall` failed checks to take it out, plus one interval of slack.
      drainDelayMs: (check.fall + 1) * check.checkIntervalMs,
      chaosSeed: needs.chaosSeed,
      log: needs.log,
      onInstanceLine: needs.quiet ? () => undefined : undefined,
    },
    needs.readyTimeoutMs,
  );
}
