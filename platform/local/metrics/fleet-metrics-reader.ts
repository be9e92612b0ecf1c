import type { Fleet, InstanceInfo, MetricSample, MetricsReader } from '@imagery/control-plane/control-plane';
import { parsePrometheusText } from './prometheus-text';

/**
 * Scrapes every running instance's /metrics, like a Prometheus server whose targets are the
 * fleet. Each instance's samples carry `instance` and `role` (the apps label their own; added here
 * if missing), and, as in Prometheus, one `up` sample per target says whether its scrape worked -
 * an instance that just died must not fail a stop condition's evaluation, but must not vanish
 * silently either. Stopped (frozen) instances are not scraped: they would only time out.
 */
export class FleetMetricsReader implements MetricsReader {
  constructor(
    private readonly fleet: Pick<Fleet, 'instances'>,
    private readonly timeoutMs = 2_000,
  ) {}

  async scrape(): Promise<MetricSample[]> {
    const targets = this.fleet.instances().filter((i) => i.state === 'running');
    const scraped = await Promise.all(targets.map((i) => this.scrapeOne(i)));
    return scraped.flat();
  }

  private async scrapeOne(instance: InstanceInfo): Promise<MetricSample[]> {
    const target = { instance: instance.id, role: instance.role };
    try {
      const res = await fetch(`${instance.baseUrl}/metrics`, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const samples = parsePrometheusText(await res.text()).map((s) => ({ ...s, labels: { ...target, ...s.labels } }));
      return [...samples, { name: 'up', labels: target, value: 1 }];
    } catch {
      return [{ name: 'up', labels: target, value: 0 }];
    }
  }
}
