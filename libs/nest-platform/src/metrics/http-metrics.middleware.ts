import type { NextFunction, Request, Response } from 'express';
import { PlatformMetrics } from './platform-metrics';

/** Records each response by its route pattern (not the raw path, so ids do not explode the labels). */
export function httpMetricsMiddleware(metrics: PlatformMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? (res.statusCode === 404 ? 'unmatched' : 'static');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
      metrics.httpDuration.observe({ route, method: req.method }, seconds);
    });
    next();
  };
}
