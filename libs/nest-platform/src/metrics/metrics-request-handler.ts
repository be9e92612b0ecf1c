import { DecoratedRequestHandler, RequestHandlerWrapper, operationOf } from '@imagery/aws-adapters';
import { PlatformMetrics } from './platform-metrics';

/** Counts and times every SDK attempt at the HTTP layer, injected faults included. */
export function metricsRequestHandler(metrics: PlatformMetrics): RequestHandlerWrapper {
  return (service, real) =>
    new DecoratedRequestHandler(real, async (request, send) => {
      const operation = operationOf(service, request);
      const stop = metrics.awsDuration.startTimer({ service, operation });
      try {
        const result = await send();
        const status = result.response.statusCode;
        metrics.awsCalls.inc({ service, operation, outcome: status < 300 ? 'ok' : String(status) });
        return result;
      } catch (err) {
        metrics.awsCalls.inc({ service, operation, outcome: 'network' });
        throw err;
      } finally {
        stop();
      }
    });
}
