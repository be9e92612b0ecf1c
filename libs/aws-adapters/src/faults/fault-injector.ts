import type { HttpRequest, HttpResponse } from '@smithy/core/protocols';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsService, RequestHandlerWrapper } from '../aws-clients';
import { DecoratedRequestHandler } from '../decorated-request-handler';
import { operationOf } from './aws-operation';
import { FaultEnvironment, FaultKind } from './fault-kind';
import { FaultRule, FaultSpec } from './fault-rule';
import { FAULT_KINDS } from './kinds';
import { hashSeed, seededRandom } from './seeded-random';

export interface FaultEvent {
  readonly ruleId: string;
  readonly source?: string;
  readonly service: AwsService;
  readonly operation: string;
  readonly kind: FaultSpec['kind'];
}

export interface FaultInjectorOptions {
  /** The same seed gives each rule the same sequence of decisions. */
  readonly seed: number;
  readonly crash?: () => void;
  readonly now?: () => number;
  readonly onFault?: (event: FaultEvent) => void;
}

interface ActiveRule {
  readonly rule: FaultRule;
  readonly random: () => number;
  matched: number;
}

/**
 * Decides, call by call, whether a rule breaks it. Its `wrap` goes into the AWS clients'
 * request-handler seam, so faults happen below the SDK's retries and error parsing.
 */
export class FaultInjector {
  private active: ActiveRule[] = [];
  private readonly env: FaultEnvironment;

  constructor(private readonly options: FaultInjectorOptions) {
    this.env = {
      crash: options.crash ?? (() => process.kill(process.pid, 'SIGKILL')),
      random: seededRandom(hashSeed(options.seed, 'env')),
      sleep: (ms) => sleep(ms),
    };
  }

  /** Replaces the rule set; a rule kept (same id) keeps its counters and random stream. */
  setRules(rules: readonly FaultRule[]): void {
    const previous = new Map(this.active.map((a) => [a.rule.id, a]));
    this.active = rules.map((rule) => {
      const kept = previous.get(rule.id);
      return kept && JSON.stringify(kept.rule) === JSON.stringify(rule)
        ? kept
        : { rule, random: seededRandom(hashSeed(this.options.seed, rule.id)), matched: 0 };
    });
  }

  rules(): FaultRule[] {
    const now = this.now();
    return this.active.filter((a) => !expired(a.rule, now)).map((a) => a.rule);
  }

  readonly wrap: RequestHandlerWrapper = (service, real) =>
    new DecoratedRequestHandler(real, (request, send) => {
      const operation = operationOf(service, request);
      const rule = this.choose(service, operation);
      return rule ? this.inject(rule, service, operation, request, send) : send();
    });

  /** The rule that breaks this call, if any. Every matching rule counts the call and draws once. */
  choose(service: AwsService, operation: string): FaultRule | undefined {
    const now = this.now();
    let chosen: FaultRule | undefined;
    for (const a of this.active) {
      const { rule } = a;
      if (rule.service !== service || expired(rule, now)) continue;
      if (rule.operations.length > 0 && !rule.operations.includes(operation)) continue;
      a.matched++;
      const fires = rule.nth !== undefined ? a.matched === rule.nth : a.random() * 100 < rule.percentage;
      if (fires && !chosen) chosen = rule;
    }
    return chosen;
  }

  async inject(rule: FaultRule, service: AwsService, operation: string, request: HttpRequest, send: () => Promise<{ response: HttpResponse }>) {
    this.options.onFault?.({ ruleId: rule.id, source: rule.source, service, operation, kind: rule.fault.kind });
    const kind = FAULT_KINDS[rule.fault.kind] as FaultKind;
    return kind.inject({ service, operation, request, requestId: randomUUID(), send }, rule.fault as never, this.env);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

const expired = (rule: FaultRule, now: number) => rule.expiresAt !== undefined && now >= rule.expiresAt;
