import { FaultRule, parseFaultRules } from '@imagery/aws-adapters';
import type { ApiFaultControl, Fleet, FleetEvent, InstanceInfo, InstanceRole } from '@imagery/control-plane/control-plane';
import { pushFaultRules } from './push-fault-rules';

const ALL_ROLES: readonly InstanceRole[] = ['api', 'worker'];

interface SourceRules {
  readonly rules: FaultRule[];
  readonly roles: readonly InstanceRole[];
}

/**
 * The API-layer fault rules in force, by source (an experiment's action). The union for a role is
 * pushed to every running instance of that role (`PUT /_chaos/faults` replaces its whole list), and
 * a new instance starts with it (the fleet reads `rulesFor` into FAULT_RULES at launch). An instance
 * that becomes live or is thawed gets the current set again, so a change made while it was
 * starting or frozen is not lost.
 */
export class FaultRegistry implements ApiFaultControl {
  private readonly sources = new Map<string, SourceRules>();
  /** Per instance, the push in flight: pushes are serialized so an older set never lands last. */
  private readonly pushes = new Map<string, Promise<void>>();
  private fleet?: Pick<Fleet, 'instances' | 'onEvent'>;

  constructor(private readonly log: (line: string) => void = console.log) {}

  /** Targets this fleet's instances from now on; returns the unsubscribe. */
  attach(fleet: Pick<Fleet, 'instances' | 'onEvent'>): () => void {
    this.fleet = fleet;
    return fleet.onEvent((event: FleetEvent) => {
      if (event.type !== 'healthy' && event.type !== 'started') return;
      this.push(event.instance).catch((err) => this.log(`[faults] ${event.instance.id}: ${(err as Error).message}`));
    });
  }

  async set(source: string, rules: FaultRule[], roles: readonly InstanceRole[] = ALL_ROLES): Promise<void> {
    // Validated here once, not with a 400 from every instance; the source is stamped for metrics.
    const parsed = parseFaultRules(rules.map((r) => ({ ...r, source: r.source ?? source })));
    this.sources.set(source, { rules: parsed, roles });
    await this.pushAll();
  }

  async clear(source: string): Promise<void> {
    if (this.sources.delete(source)) await this.pushAll();
  }

  active(): FaultRule[] {
    return [...this.sources.values()].flatMap((s) => s.rules).filter(unexpired(Date.now()));
  }

  /** What an instance of `role` should have now. */
  rulesFor(role: InstanceRole): FaultRule[] {
    const now = Date.now();
    return [...this.sources.values()]
      .filter((s) => s.roles.includes(role))
      .flatMap((s) => s.rules)
      .filter(unexpired(now));
  }

  /**
   * Pushes to every running instance. Pending ones get the rules when they become live, stopped
   * ones when started (a frozen process would never answer). Fails if an instance that is still
   * running refused them; one that died meanwhile is no failure.
   */
  private async pushAll(): Promise<void> {
    const targets = (this.fleet?.instances() ?? []).filter((i) => i.state === 'running');
    const results = await Promise.allSettled(targets.map((i) => this.push(i)));
    const failed = results.flatMap((r, k) =>
      r.status === 'rejected' && this.stillRunning(targets[k].id) ? [`${targets[k].id}: ${(r.reason as Error).message}`] : [],
    );
    if (failed.length > 0) throw new Error(`fault rules not applied on ${failed.join('; ')}`);
  }

  private push(instance: InstanceInfo): Promise<void> {
    const previous = this.pushes.get(instance.id) ?? Promise.resolve();
    // The rules are read when this push's turn comes, so it always sends the latest set.
    const next = previous.catch(() => undefined).then(() => pushFaultRules(instance.baseUrl, this.rulesFor(instance.role)));
    this.pushes.set(instance.id, next);
    void next.finally(() => this.pushes.get(instance.id) === next && this.pushes.delete(instance.id)).catch(() => undefined);
    return next;
  }

  private stillRunning(id: string): boolean {
    return (this.fleet?.instances() ?? []).some((i) => i.id === id && i.state === 'running');
  }
}

const unexpired = (now: number) => (rule: FaultRule) => rule.expiresAt === undefined || rule.expiresAt > now;
