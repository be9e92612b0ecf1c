import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the metadata service needs to know of an instance: its spot interruption notice, if any. */
export type SpotNoticeLookup = (instanceId: string) => { readonly action: string; readonly time: string } | undefined;

/**
 * The local stand-in for EC2's instance metadata service (IMDS), one server for the fleet with a
 * path per instance: `INSTANCE_METADATA_URL=http://host:port/<instance-id>` plays the role of
 * `http://169.254.169.254`. It serves what an instance polls to hear about its own fate:
 * `GET /latest/meta-data/spot/instance-action` answers 404 until a spot interruption notice is
 * sent, then `{"action":"terminate","time":"<ISO 8601>"}`, as IMDS does. `PUT /latest/api/token`
 * answers a token so IMDSv2 clients work too (the token is not checked: only this machine can ask).
 */
export class InstanceMetadataServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(host: string, spotNotice: SpotNoticeLookup): Promise<InstanceMetadataServer> {
    const server = createServer((req, res) => {
      const [, instanceId, ...rest] = new URL(req.url ?? '/', 'http://localhost').pathname.split('/');
      const path = rest.join('/');
      if (req.method === 'PUT' && path === 'latest/api/token')
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('local-imds-token');
      if (req.method === 'GET' && path === 'latest/meta-data/spot/instance-action') {
        const notice = spotNotice(decodeURIComponent(instanceId ?? ''));
        if (notice) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(notice));
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new InstanceMetadataServer(server, `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  }

  /** The base URL an instance uses as its IMDS endpoint. */
  urlFor(instanceId: string): string {
    return `${this.url}/${encodeURIComponent(instanceId)}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
