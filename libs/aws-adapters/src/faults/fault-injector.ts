import type { HttpRequest, HttpResponse } from '@smithy/core/protocols';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsService, RequestHandlerWrapper } from '../aws-clients';
import { DecoratedRequestHandler } from '../decorated-request-handler';
import { RequestContext, currentRequestContext } from '../request-context';
import { operationOf } from './aws-operation';
import { FaultEnvironment, FaultKind } from './fault-kind';
import { FaultMatch, FaultRule, FaultSpec } from './fault-rule';
import { FAULT_KINDS } from './kinds';
import { hashSeed, seededRandom } from '@imagery/kernel/seeded-random';

/** One injected fault: which call of which rule got it, and the client request it hit. */
export interface FaultEvent {
  /** Epoch ms, when the fault was decided (before the call is answered, sent, or the process dies). */
  readonly time: number;
  readonly ruleId: string;
  readonly source?: string;
  readonly service: AwsService;
  readonly operation: string;
  readonly kind: FaultSpec['kind'];
  /** For crashes: before or after the call reached the service. */
  readonly when?: 'before' | 'after';
  /** 1-based index of this call among the calls the rule matched on this injector. */
  readonly call: number;
  /** 1-based index of this call among the calls of its operation in its request context (absent without one): its exact key. */
  readonly occurrence?: number;
  /** For latency faults: the delay, so a recorded schedule can inject the same again. */
  readonly latency?: { readonly ms: number; readonly jitterMs: number };
  /** The client request the work serves (request-context), when there is one. */
  readonly requestId?: string;
  readonly imageId?: string;
}

/** The rule that breaks a call, and the call's index among that rule's matches. */
export interface FaultDecision {
  readonly rule: FaultRule;
  readonly call: number;
  /** The call's occurrence in its request context (see FaultEvent.occurrence). */
  readonly occurrence?: number;
}

export interface FaultInjectorOptions {
  /** The same seed gives each rule the same sequence of decisions (each rule's stream is seeded by (seed, rule id)). */
  readonly seed: number;
  /** This instance's id (`i-worker-2-1`): rules matching calls of one fleet slot (`match.slot`) read it. */
  readonly instance?: string;
  readonly crash?: () => void;
  readonly now?: () => number;
  readonly onFault?: (event: FaultEvent) => void;
}

interface ActiveRule {
  readonly rule: FaultRule;
  readonly random: () => number;
  matched: number;
  /** An exact (`match`) rule fires once. */
  fired: boolean;
}

/**
 * Decides, call by call, whether a rule breaks it. Its `wrap` goes into the AWS clients'
 * request-handler seam, so faults happen below the SDK's retries and error parsing.
 */
export class FaultInjector {
  private active: ActiveRule[] = [];
  private readonly env: FaultEnvironment;
  /** Calls per operation in each request context, for exact matches; dropped with the context. */
  private readonly occurrences = new WeakMap<RequestContext, Map<string, number>>();

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
        : { rule, random: seededRandom(hashSeed(this.options.seed, rule.id)), matched: 0, fired: false };
    });
  }

  rules(): FaultRule[] {
    const now = this.now();
    return this.active.filter((a) => !expired(a.rule, now)).map((a) => a.rule);
  }

  readonly wrap: RequestHandlerWrapper = (service, real) =>
    new DecoratedRequestHandler(real, (request, send) => {
      const operation = operationOf(service, request);
      const decision = this.decide(service, operation);
      return decision ? this.inject(decision, service, operation, request, send) : send();
    });

  /** The rule that breaks this call, if any. Every matching rule counts the call and draws once. */
  choose(service: AwsService, operation: string): FaultRule | undefined {
    return this.decide(service, operation)?.rule;
  }

  /** Like `choose`, with the call's index among the chosen rule's matches (the fault schedule's unit). */
  decide(service: AwsService, operation: string): FaultDecision | undefined {
    const now = this.now();
    const context = currentRequestContext();
    const occurrence = context ? this.countOccurrence(context, service, operation) : undefined;
    let chosen: FaultDecision | undefined;
    for (const a of this.active) {
      const { rule } = a;
      if (rule.service !== service || expired(rule, now)) continue;
      if (rule.operations.length > 0 && !rule.operations.some((named) => covers(named, operation))) continue;
      if (rule.match && !this.sameCallSite(rule.match, context, now)) continue;
      a.matched++;
      if (!this.fires(a, occurrence) || chosen) continue;
      chosen = { rule, call: a.matched, ...(occurrence !== undefined ? { occurrence } : {}) };
      if (rule.match) a.fired = true;
    }
    return chosen;
  }

  private fires(a: ActiveRule, occurrence: number | undefined): boolean {
    const { rule } = a;
    if (rule.match) {
      if (a.fired) return false;
      const keyed = rule.match.requestId !== undefined || rule.match.imageId !== undefined;
      return (keyed ? occurrence : a.matched) === rule.match.occurrence;
    }
    return rule.nth !== undefined ? a.matched === rule.nth : a.random() * 100 < rule.percentage;
  }

  /** Is this call made where the exact rule points: in its request, or (no request) on its slot? */
  private sameCallSite(match: FaultMatch, context: RequestContext | undefined, now: number): boolean {
    if (match.requestId !== undefined || match.imageId !== undefined) {
      if (!context) return false;
      if (match.requestId !== undefined && context.requestId !== match.requestId) return false;
      return match.imageId === undefined || context.imageId === match.imageId;
    }
    if (context || (match.notBefore !== undefined && now < match.notBefore)) return false;
    return match.slot === undefined || slotOf(this.options.instance) === match.slot;
  }

  private countOccurrence(context: RequestContext, service: AwsService, operation: string): number {
    const counts = this.occurrences.get(context) ?? new Map<string, number>();
    this.occurrences.set(context, counts);
    const key = `${service}:${operation}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return n;
  }

  /** Reports the fault (synchronously, before a crash can end the process), then injects it. */
  async inject(
    decision: FaultDecision,
    service: AwsService,
    operation: string,
    request: HttpRequest,
    send: () => Promise<{ response: HttpResponse }>,
  ) {
    const { rule, call, occurrence } = decision;
    const context = currentRequestContext();
    this.options.onFault?.({
      time: this.now(),
      ruleId: rule.id,
      source: rule.source,
      service,
      operation,
      kind: rule.fault.kind,
      ...(rule.fault.kind === 'crash' ? { when: rule.fault.when } : {}),
      call,
      ...(occurrence !== undefined ? { occurrence } : {}),
      ...(rule.fault.kind === 'latency' ? { latency: { ms: rule.fault.ms, jitterMs: rule.fault.jitterMs } } : {}),
      ...(context ? { requestId: context.requestId, ...(context.imageId !== undefined ? { imageId: context.imageId } : {}) } : {}),
    });
    const kind = FAULT_KINDS[rule.fault.kind] as FaultKind;
    return kind.inject({ service, operation, request, requestId: randomUUID(), send }, rule.fault, this.env);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

/** `i-worker-2-3` → `worker-2` (the fleet's instance ids: slot, then launch number). */
const slotOf = (instance: string | undefined) => /^i-(.+)-\d+$/.exec(instance ?? '')?.[1];

const expired = (rule: FaultRule, now: number) => rule.expiresAt !== undefined && now >= rule.expiresAt;

/**
 * A rule naming an operation covers its batch form too (`DeleteMessage` → `DeleteMessageBatch`):
 * the worker deletes in batches, and a rule written against the single call keeps its meaning.
 * Such a fault fails the whole batch call, as a broken connection would.
 */
function covers(named: string, operation: string): boolean {
  return named === operation || `${named}Batch` === operation;
}
