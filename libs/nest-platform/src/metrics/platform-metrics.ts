import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface InstanceIdentity {
  readonly instance: string;
  readonly role: 'api' | 'worker';
}

/**
 * Every metric the platform exposes, in one registry per process. Stop conditions and reports
 * read these, so names and labels are a contract (see README "Metrics").
 */
export class PlatformMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'imagery_http_requests_total',
    help: 'HTTP requests served, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'imagery_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly awsCalls = new Counter({
    name: 'imagery_aws_calls_total',
    help: 'AWS API calls (each SDK attempt), by service, operation and outcome (ok, http status, or network)',
    labelNames: ['service', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly awsDuration = new Histogram({
    name: 'imagery_aws_call_duration_seconds',
    help: 'AWS API call latency per attempt',
    labelNames: ['service', 'operation'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly faultsInjected = new Counter({
    name: 'imagery_faults_injected_total',
    help: 'API-layer faults injected, by kind, service and operation',
    labelNames: ['kind', 'service', 'operation', 'source'] as const,
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'imagery_jobs_total',
    help: 'Queue messages handled by the worker, by outcome (processed, failed, already-done, ..., error)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'imagery_job_duration_seconds',
    help: 'Time to handle one queue message',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly repairs = new Counter({
    name: 'imagery_repairs_total',
    help: 'Images re-enqueued by the repair sweep',
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'imagery_queue_messages',
    help: 'Approximate messages in the queues, read from SQS attributes at scrape time',
    labelNames: ['queue', 'kind'] as const,
    registers: [this.registry],
  });

  constructor(identity: InstanceIdentity) {
    this.registry.setDefaultLabels({ instance: identity.instance, role: identity.role });
    // The event-loop lag is sampled every 100 ms, not prom-client's 10: a timer 100 times a second
    // kept every idle instance waking (~3 core-ms/s each); a blocked loop still shows in the next sample.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
  }
}
