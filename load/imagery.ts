// The imagery workload: each iteration is one user's journey — create an image with its own UUID,
// upload a JPEG, poll until it is processed — retrying failed requests idempotently (same request,
// same id, same bytes). A share of iterations sends bad input on purpose and expects a 4xx; another
// (lateCreateShare) sends its create again once its image is processed, and expects nothing to change;
// another (rivalUploadShare) uploads two different images at once, and expects exactly one accepted.
// Shaped like a k6 script: the options (scenarios, thresholds) first, the journey below.
// See load/README.md.
import type { BadInputKind } from '@imagery/history/history-entry';
import type { ScenarioConfig } from './engine/executors';
import type { HttpRequest } from './engine/http-client';
import type { Journey, JourneyEnd } from './engine/run-load';
import { journeyId, pick } from './engine/seeded-choices';
import type { Thresholds } from './engine/thresholds';
import { is2xx, retryable, type SendResult, type VirtualUser } from './engine/virtual-user';
import type { FixtureSet, UploadBody } from './fixture-set';
import type { JourneyPlan } from './journey-plan';
import { describedJourney } from './recorded-journey';

// ---------------------------------------------------------------------------------------------
// Options: scenarios and thresholds
// ---------------------------------------------------------------------------------------------
export type ScenarioName = 'steady' | 'spike' | 'smoke';
export const ALL_BAD_KINDS: readonly BadInputKind[] = ['not-an-image', 'truncated', 'too-large', 'bad-id'];

export interface ImageryKnobs {
  readonly scenario: ScenarioName;
  /** New journeys per second (spike: the base rate). */
  readonly rate: number;
  readonly durationSeconds: number;
  /** spike: peak = rate × spikeFactor. */
  readonly spikeFactor: number;
  /** spike: the stages instead of the default shape. */
  readonly stages?: ReadonlyArray<{ readonly target: number; readonly durationSeconds: number }>;
  /** smoke: how many journeys, one after the other. */
  readonly iterations: number;
  readonly badShare: number;
  readonly badKinds: readonly BadInputKind[];
  /** Share of good journeys that send a late create (default 0: none, and no draw for it). */
  readonly lateCreateShare?: number;
  /** Share of good journeys that upload two different images at once (default 0: none, and no draw for it). */
  readonly rivalUploadShare?: number;
  readonly maxAttempts: number;
  readonly retryMaxMs: number;
  /** Upload acknowledged → processed, or the journey failed. */
  readonly processTimeoutMs: number;
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
  readonly preAllocatedVUs?: number;
  readonly maxVUs?: number;
  readonly gracefulStopSeconds?: number;
  /** Thresholds on successful requests' latency, per op. */
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Threshold on journeys that did not end as they should after retries. */
  readonly maxFailedJourneys: number;
  readonly minChecks: number;
  /** Stop the run as soon as a threshold is crossed (after 10 s of data). */
  readonly abortOnFail: boolean;
}

export function imageryScenario(k: ImageryKnobs): ScenarioConfig {
  const peak = k.scenario === 'spike' ? Math.max(k.rate * k.spikeFactor, ...(k.stages ?? []).map((s) => s.target)) : k.rate;
  // A journey lives ~1–3 s when healthy (mostly polling), much longer under faults: size the pool for that.
  const preAllocatedVUs = k.preAllocatedVUs ?? Math.min(k.maxVUs ?? Infinity, Math.max(2, Math.ceil(peak * 3)));
  const maxVUs = k.maxVUs ?? Math.max(preAllocatedVUs, Math.min(1000, Math.ceil(peak * (k.processTimeoutMs / 1000 + 10))));
  // let journeys in flight at the end finish (and be recorded) rather than cut them off
  const gracefulStop = `${k.gracefulStopSeconds ?? Math.ceil(k.processTimeoutMs / 1000 + (k.maxAttempts * k.retryMaxMs) / 1000)}s`;
  const d = k.durationSeconds * 1000;
  switch (k.scenario) {
    case 'steady':
      return { executor: 'constant-arrival-rate', rate: k.rate, timeUnit: '1s', duration: d, preAllocatedVUs, maxVUs, gracefulStop };
    case 'spike':
      return {
        executor: 'ramping-arrival-rate',
        startRate: k.rate,
        timeUnit: '1s',
        preAllocatedVUs,
        maxVUs,
        gracefulStop,
        stages: k.stages?.map((s) => ({ target: s.target, duration: s.durationSeconds * 1000 })) ?? [
          { target: k.rate, duration: d * 0.2 },
          { target: k.rate * k.spikeFactor, duration: d * 0.1 },
          { target: k.rate * k.spikeFactor, duration: d * 0.3 },
          { target: k.rate, duration: d * 0.1 },
          { target: k.rate, duration: d * 0.3 },
        ],
      };
    case 'smoke':
      return { executor: 'smoke', iterations: k.iterations, maxDuration: '10m', gracefulStop };
  }
}

export function imageryThresholds(k: ImageryKnobs): Thresholds {
  const abort = (threshold: string) => (k.abortOnFail ? { threshold, abortOnFail: true, delayAbortEval: '10s' } : threshold);
  const latency = [abort(`p(95)<${k.p95Ms}`), abort(`p(99)<${k.p99Ms}`)];
  return {
    'http_req_duration{expected_response:true,op:create}': latency,
    'http_req_duration{expected_response:true,op:upload}': latency,
    'http_req_duration{expected_response:true,op:get}': latency,
    journey_failed: [abort(`rate<=${k.maxFailedJourneys}`)],
    checks: [abort(`rate>=${k.minChecks}`)],
  };
}

// ---------------------------------------------------------------------------------------------
// The choices: all from the iteration's seeded stream, in this order
// ---------------------------------------------------------------------------------------------
export interface JourneyChoice {
  readonly id: string;
  /** Set for bad input on purpose. */
  readonly bad?: BadInputKind;
  /** Which fixture image (good journeys, and bad-id's upload). */
  readonly image: number;
  /** bad-id: the malformed id sent. */
  readonly malformedId?: string;
  /** Good journeys: send the create again once the image is processed (a late create). */
  readonly lateCreate?: true;
  /** Good journeys: upload another fixture at the same time as this one (a rival writer of the same id). */
  readonly rivalImage?: number;
}

export const MALFORMED_IDS = ['not-a-uuid', '1234', '00000000-0000-0000-0000-00000000000g', 'x'.repeat(200), 'DROP%20TABLE'];

export interface ChoiceContext {
  readonly seed: number;
  readonly runTag: string;
  readonly badShare: number;
  /** The bad kinds there are fixtures for (bad-id needs none). */
  readonly badKinds: readonly BadInputKind[];
  readonly images: number;
  /** Share of good journeys with a late create; default 0. */
  readonly lateCreateShare?: number;
  /** Share of good journeys with a rival upload; default 0. */
  readonly rivalUploadShare?: number;
}

export function chooseJourney(random: () => number, iteration: number, c: ChoiceContext): JourneyChoice {
  const id = journeyId(c.seed, c.runTag, iteration);
  const roll = random(); // always drawn, so the later choices do not depend on which kinds exist
  const bad = roll < c.badShare && c.badKinds.length > 0 ? pick(random, c.badKinds) : undefined;
  const image = Math.floor(random() * c.images);
  const malformedId = bad === 'bad-id' ? pick(random, MALFORMED_IDS) : undefined;
  // Drawn last and only when asked for: a run without late creates makes the same choices (and
  // the same retry jitter, drawn from this stream next) as before the knob existed.
  const lateShare = c.lateCreateShare ?? 0;
  const lateCreate = lateShare > 0 && random() < lateShare && !bad;
  const late = lateCreate ? { lateCreate: true as const } : {};
  // Likewise drawn only when asked for; the rival is another fixture (other bytes), so only one can be the image.
  const rivalShare = c.rivalUploadShare ?? 0;
  const rivalry = rivalShare > 0 && random() < rivalShare && !bad && c.images > 1;
  const rival = rivalry ? { rivalImage: (image + 1) % c.images } : {};
  return { id, image, ...(bad ? { bad } : {}), ...(malformedId ? { malformedId } : {}), ...late, ...rival };
}

// ---------------------------------------------------------------------------------------------
// The journey
// ---------------------------------------------------------------------------------------------
/** The plan of the choices drawn for a journey. */
export function planOf(fixtures: FixtureSet, choice: JourneyChoice): JourneyPlan {
  if (choice.bad === 'bad-id') return { kind: 'bad-id', id: choice.malformedId!, image: fixtures.images[choice.image] };
  if (choice.bad) return { kind: choice.bad, id: choice.id, image: fixtures.bad.get(choice.bad)! };
  const rival = choice.rivalImage === undefined ? {} : { rival: fixtures.images[choice.rivalImage] };
  return {
    kind: 'good',
    id: choice.id,
    image: fixtures.images[choice.image],
    ...rival,
    ...(choice.lateCreate ? { lateCreate: true } : {}),
  };
}

/** The imagery journey with its choices drawn from the iteration's seeded stream. */
export function imageryJourney(fixtures: FixtureSet, k: ImageryKnobs, c: ChoiceContext): Journey {
  return plannedImageryJourney(k, (vu) => planOf(fixtures, chooseJourney(vu.random, vu.iteration, c)));
}

/**
 * The imagery journey doing what `planFor` says for its iteration. It describes itself in the
 * history first (load/recorded-workload.ts), so the run can be replayed journey by journey.
 */
export function plannedImageryJourney(k: ImageryKnobs, planFor: (vu: VirtualUser) => JourneyPlan): Journey {
  return async (vu) => {
    const plan = planFor(vu);
    vu.describe(describedJourney(plan));
    if (plan.kind !== 'good') return badInputJourney(vu, plan, plan.kind);
    return userJourney(vu, plan.id, plan.image, plan.lateCreate ?? false, plan.rival);
  };

  /** Create → upload → wait until processed (→ a late create, for a share of journeys). */
  async function userJourney(vu: VirtualUser, id: string, image: UploadBody, late: boolean, rival?: UploadBody): Promise<JourneyEnd> {
    const failed = { ok: false, kind: 'good' } as const;
    const created = await vu.send('create', id, createImage(id));
    if (!vu.check(is2xx(created.status))) return failed;

    if (rival) {
      if (!(await rivalUploads(vu, id, image, rival))) return failed;
    } else {
      const uploaded = await vu.send('upload', id, upload(id, image), { sha256: image.sha256 });
      // a retry whose earlier try may have gone through (info) can find the image past `uploaded`: 409 is fine, the polls decide
      if (!vu.check(is2xx(uploaded.status) || (uploaded.status === 409 && uploaded.afterInfo))) return failed;
    }

    const acknowledgedAt = performance.now();
    const state = await waitUntilProcessed(vu, id);
    if (state === 'processed') vu.metrics.processing.recordMs(performance.now() - acknowledgedAt);
    if (!vu.check(state === 'processed')) return failed;
    return { ok: late ? await lateCreate(vu, id) : true, kind: 'good' };
  }

  /**
   * Polls GET /image/:id with growing pauses until processed or failed, or the time is up. A
   * longer `Retry-After` from the API (its pacing of a backlog: poll-pacing.ts) is honoured, short
   * of the deadline: the last read is at the deadline, not a pause before it.
   */
  async function waitUntilProcessed(vu: VirtualUser, id: string): Promise<string | undefined> {
    const deadline = performance.now() + k.processTimeoutMs;
    let pause = k.pollMinMs;
    for (;;) {
      const res = await vu.send('get', id, getImage(id));
      if (res.state === 'processed' || res.state === 'failed') return res.state;
      // Its upload went through, so `created` is a broken promise no wait can mend (acknowledged-durable).
      if (res.state === 'created') return res.state;
      if (!is2xx(res.status) && !retryable(res.status)) return `http ${res.status}`;
      const left = deadline - performance.now();
      if (left <= 0) return res.state ?? 'timed out';
      await vu.sleep(Math.min(left, Math.max(pause, res.retryAfterMs ?? 0)));
      pause = Math.min(k.pollMaxMs, pause * 1.5);
    }
  }

  /** Bad input on purpose: each bad request must get a 4xx (retried like any other on 5xx / network error). */
  async function badInputJourney(vu: VirtualUser, plan: JourneyPlan, kind: BadInputKind): Promise<JourneyEnd> {
    const answers: SendResult[] = [];
    const { id, image } = plan;
    if (kind === 'bad-id') {
      answers.push(await vu.send('create', id, createImage(id), { bad: kind }));
      answers.push(await vu.send('upload', id, upload(id, image), { bad: kind, sha256: image.sha256 }));
    } else {
      // a real image to upload the bad file into: that create is not bad, it must succeed
      const created = await vu.send('create', id, createImage(id));
      if (!vu.check(is2xx(created.status))) return { ok: false, kind: 'bad' };
      answers.push(await vu.send('upload', id, upload(id, image), { bad: kind, sha256: image.sha256 }));
    }
    return { ok: vu.check(answers.every((r) => r.status >= 400 && r.status < 500)), kind: 'bad' };
  }
}

/**
 * The same `PUT /image/:id` again after the upload was acknowledged, as an SDK retry whose first
 * try landed or a load balancer's redispatch sends it: a new request (its own attempts, in the
 * history a plain `create` after the upload's ack). Sent once the image is processed, so a build
 * that resets the item is seen at once (the answer and one more read) instead of by a journey
 * polling a `created` image until its timeout. The only right answer: 200, the item unchanged.
 */
async function lateCreate(vu: VirtualUser, id: string): Promise<boolean> {
  const again = await vu.send('create', id, createImage(id));
  if (!vu.check(again.status === 200 && again.state === 'processed')) return false;
  const after = await vu.send('get', id, getImage(id));
  return vu.check(after.state === 'processed');
}

/**
 * Two uploads of different images to one id at once, as two clients racing would send them. The
 * item can hold one: one is accepted (2xx), the other refused (409), never both — that the
 * checker judges (acknowledged-durable); the journey goes on if at least one was accepted.
 */
async function rivalUploads(vu: VirtualUser, id: string, image: UploadBody, rival: UploadBody): Promise<boolean> {
  const answers = await Promise.all([image, rival].map((file) => vu.send('upload', id, upload(id, file), { sha256: file.sha256 })));
  return vu.check(answers.some((a) => is2xx(a.status)) && answers.every((a) => is2xx(a.status) || a.status === 409));
}

// ---------------------------------------------------------------------------------------------
// The requests
// ---------------------------------------------------------------------------------------------
const JSON_ACCEPT = { accept: 'application/json' };
const imagePath = (id: string) => `/image/${encodeURIComponent(id)}`;
const createImage = (id: string): HttpRequest => ({ method: 'PUT', path: imagePath(id), headers: JSON_ACCEPT });
const getImage = (id: string): HttpRequest => ({ method: 'GET', path: imagePath(id), headers: JSON_ACCEPT });
const upload = (id: string, file: UploadBody): HttpRequest => ({
  method: 'POST',
  path: `${imagePath(id)}/upload`,
  headers: { ...JSON_ACCEPT, 'content-type': file.multipartType },
  body: file.body,
});
