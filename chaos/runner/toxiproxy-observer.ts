import type { NemesisEntry, NemesisEvent } from '@imagery/history/history-entry';

/**
 * What Toxiproxy itself shows in place while a run goes on: the proof that a network fault fired.
 * The nemesis recorder reads toxics and cut proxies off the FIS actions' parameters (what was
 * asked); an action whose toxic never reached Toxiproxy, or whose cut matched no proxy, looks the
 * same there. This polls `GET <url>/proxies` and records a `toxic` `observed` entry per toxic and
 * a `proxy` `observed-disabled` entry per disabled proxy, once per contiguous presence, at the time
 * first seen (a toxic gone and back is seen again). A toxic at toxicity 0 touches no connection:
 * not counted as in place.
 */
export interface ToxicInPlace {
  readonly proxy: string;
  readonly name: string;
  readonly toxic: string;
  readonly attributes: Record<string, number>;
}

export interface InPlace {
  readonly toxics: readonly ToxicInPlace[];
  readonly disabled: readonly string[];
}

/** Toxiproxy's `/proxies` answer, as much of it as is read: `{ <name>: { name, enabled, toxics: [...] } }`. */
interface ProxyJson {
  readonly name?: string;
  readonly enabled?: boolean;
  readonly toxics?: readonly ToxicJson[];
}

interface ToxicJson {
  readonly name?: string;
  readonly type?: string;
  readonly toxicity?: number;
  readonly attributes?: Record<string, unknown>;
}

export function inPlace(body: unknown): InPlace {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('toxiproxy: not a /proxies answer (an object of proxies by name)');
  }
  const toxics: ToxicInPlace[] = [];
  const disabled: string[] = [];
  for (const [key, p] of Object.entries(body as Record<string, ProxyJson>)) {
    const proxy = p?.name ?? key;
    if (p?.enabled === false) disabled.push(proxy);
    for (const t of p?.toxics ?? []) {
      if (!t.name || t.toxicity === 0) continue;
      const numbers = Object.entries(t.attributes ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number');
      const attributes = Object.fromEntries(numbers);
      toxics.push({ proxy, name: t.name, toxic: t.type ?? 'unknown', attributes });
    }
  }
  return { toxics, disabled };
}

export class ToxiproxyObserver {
  private readonly recorded: NemesisEntry[] = [];
  /** What the last answered poll showed: what a new poll compares with. */
  private present = new Set<string>();
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  /** Polls answered, and polls that failed (Toxiproxy busy or gone): a run reports them, never dies of them. */
  polls = 0;
  failures = 0;

  constructor(
    private readonly url: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** One look at Toxiproxy. */
  async poll(): Promise<void> {
    const res = await fetch(`${this.url}/proxies`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) throw new Error(`toxiproxy: GET /proxies answered ${res.status}`);
    const seen = inPlace(await res.json());
    const time = this.now(); // seen by now: the answer is what was in place when it was read
    const keys = new Set<string>();
    const note = (key: string, event: NemesisEvent) => {
      keys.add(key);
      if (!this.present.has(key)) this.recorded.push({ type: 'nemesis', time, event });
    };
    for (const t of seen.toxics) {
      note(`toxic|${t.proxy}|${t.name}`, { kind: 'toxic', phase: 'observed', ...t });
    }
    for (const proxy of seen.disabled) note(`proxy|${proxy}`, { kind: 'proxy', phase: 'observed-disabled', proxy });
    this.present = keys;
    this.polls++;
  }

  /** Polls every `intervalMs` (one at a time) until stop(). */
  start(intervalMs = 1_000): void {
    const tick = () => {
      this.inFlight ??= this.poll()
        .catch(() => void this.failures++)
        .finally(() => (this.inFlight = undefined));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
  }

  /** Stops polling (after the poll in flight) and returns what was observed. */
  async stop(): Promise<NemesisEntry[]> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    return this.entries();
  }

  entries(): NemesisEntry[] {
    return [...this.recorded].sort((a, b) => a.time - b.time);
  }
}
