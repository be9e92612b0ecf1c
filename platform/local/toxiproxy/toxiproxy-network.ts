import { Toxiproxy } from 'toxiproxy-node-client';
import type { NetworkControl, Toxic } from '@imagery/control-plane/control-plane';
import type { ProxySpec } from '@imagery/control-plane/proxy-layout';
import { expandProxyName } from '@imagery/control-plane/zonal-proxies';

/** NetworkControl on the real Toxiproxy server, through toxiproxy-node-client. */
export class ToxiproxyNetwork implements NetworkControl {
  private readonly client: Toxiproxy;

  constructor(readonly url: string) {
    this.client = new Toxiproxy(url);
  }

  /** Creates (or re-creates) the proxies; returns each one's real listen address (port 0 resolved). */
  async populate(specs: readonly ProxySpec[]): Promise<Record<string, string>> {
    const proxies = await this.client.populate(specs.map((s) => ({ ...s, enabled: true })));
    return Object.fromEntries(Object.values(proxies).map((p) => [p.name, p.listen]));
  }

  async proxies(): Promise<string[]> {
    return Object.keys(await this.client.getAll()).sort();
  }

  /**
   * Adds the toxic (to every zone's proxy for a service name); one of the same name is replaced,
   * so re-applying an action is not an error.
   */
  async addToxic(proxy: string, name: string, toxic: Toxic): Promise<void> {
    for (const one of await this.expand(proxy)) await this.addOneToxic(one, name, toxic);
  }

  private async addOneToxic(proxy: string, name: string, toxic: Toxic): Promise<void> {
    const target = await this.proxy(proxy);
    const body = {
      name,
      type: toxic.type as never,
      stream: toxic.stream ?? 'downstream',
      toxicity: toxic.toxicity ?? 1,
      attributes: { ...toxic.attributes },
    };
    try {
      await target.addToxic(body);
    } catch (err) {
      if (statusOf(err) !== 409) throw withContext(err, `adding toxic ${name} to ${proxy}`);
      await this.removeToxic(proxy, name);
      await target.addToxic(body);
    }
  }

  /** Removes the toxic; one already gone is fine (cleanup after an experiment must not fail on it). */
  async removeToxic(proxy: string, name: string): Promise<void> {
    for (const one of await this.expand(proxy)) await this.removeOneToxic(one, name);
  }

  private async removeOneToxic(proxy: string, name: string): Promise<void> {
    const target = await this.proxy(proxy);
    try {
      await target.api.delete(`${target.getPath()}/toxics/${encodeURIComponent(name)}`);
    } catch (err) {
      if (statusOf(err) !== 404) throw withContext(err, `removing toxic ${name} from ${proxy}`);
    }
  }

  /** Disabled: Toxiproxy closes the listener and every connection, so clients get refused/reset. */
  async setEnabled(proxy: string, enabled: boolean): Promise<void> {
    for (const one of await this.expand(proxy)) {
      const target = await this.proxy(one);
      if (target.enabled !== enabled) await target.update({ enabled, listen: target.listen, upstream: target.upstream });
    }
  }

  /** A service name means its proxy in every zone (see expandProxyName). */
  private async expand(name: string): Promise<string[]> {
    return expandProxyName(name, await this.proxies());
  }

  private async proxy(name: string) {
    try {
      return await this.client.get(name);
    } catch (err) {
      throw statusOf(err) === 404 ? new Error(`toxiproxy: no proxy named ${name}`) : withContext(err, `reading proxy ${name}`);
    }
  }

  /** Every proxy enabled, every toxic removed (Toxiproxy's own reset). */
  async reset(): Promise<void> {
    await this.client.reset();
  }
}

// toxiproxy-node-client reports HTTP failures (ToxiproxyError) only as a message: "Request failed with status code 409".
function statusOf(err: unknown): number | undefined {
  const match = err instanceof Error ? /status code (\d+)/.exec(err.message) : null;
  return match ? Number(match[1]) : undefined;
}

function withContext(err: unknown, what: string): Error {
  return new Error(`toxiproxy: ${what}: ${(err as Error).message}`);
}
