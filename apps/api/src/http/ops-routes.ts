import type { NextFunction, Request, Response } from 'express';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Metrics, the OpenAPI pages and the deep health check: for operators, not the public. */
const OPS_ROUTE = /^\/(?:metrics|docs-json|docs(?:\/.*)?|health\/?)$/;

const ON_OPS_LISTENER = Symbol('onOpsListener');
type MarkedRequest = IncomingMessage & { [ON_OPS_LISTENER]?: true };

export const isOpsRoute = (path: string): boolean => OPS_ROUTE.test(path);

/** With an ops listener configured, the public one answers 404 for operational routes. */
export function opsRoutesOnlyOnOpsListener(req: Request, res: Response, next: NextFunction): void {
  if (!isOpsRoute(req.path) || (req as MarkedRequest)[ON_OPS_LISTENER]) return next();
  res.status(404).json({ statusCode: 404, error: 'not_found', message: `Cannot ${req.method} ${req.path}` });
}

export interface OpsListener {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A second listener on the same application, for operational routes; it closes when the public
 * server closes (on shutdown). The load balancer is pointed only at the public port.
 */
export async function startOpsListener(
  publicServer: Server,
  handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
  port: number,
  host: string,
): Promise<OpsListener> {
  const server = createServer((req, res) => {
    (req as MarkedRequest)[ON_OPS_LISTENER] = true;
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  publicServer.once('close', () => void close());
  return { port: (server.address() as AddressInfo).port, close };
}
