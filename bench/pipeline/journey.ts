import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One user's journey through the API, outside the load generator: PUT /image/<uuid>, upload a file, poll until
 * processed. Checks the platform end to end before anything is timed, and leaves a processed
 * image for the read benchmarks.
 */
export async function processedImageVia(baseUrl: string, file: string, timeoutMs = 60_000): Promise<{ id: string; ms: number }> {
  const id = randomUUID();
  const t0 = performance.now();
  const created = await fetch(`${baseUrl}/image/${id}`, { method: 'PUT', headers: { Accept: 'application/json' } });
  if (created.status !== 201) throw new Error(`PUT /image/${id}: HTTP ${created.status} ${await created.text()}`);
  const form = new FormData();
  form.append('file', new Blob([await readFile(file)], { type: 'image/jpeg' }), basename(file));
  const uploaded = await fetch(`${baseUrl}/image/${id}/upload`, { method: 'POST', body: form, headers: { Accept: 'application/json' } });
  if (uploaded.status !== 200) throw new Error(`POST /image/${id}/upload: HTTP ${uploaded.status} ${await uploaded.text()}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${baseUrl}/image/${id}`, { headers: { Accept: 'application/json' } });
    const body = (await res.json()) as { state?: string };
    if (body.state === 'processed') return { id, ms: performance.now() - t0 };
    if (body.state === 'failed') throw new Error(`image ${id} failed: ${JSON.stringify(body)}`);
    if (Date.now() > deadline) throw new Error(`image ${id} not processed after ${timeoutMs / 1000} s (state ${body.state})`);
    await sleep(50);
  }
}

/** The first journey, before anything is timed: the platform works end to end, and the read benchmarks get a processed image. */
export async function warmUpJourney(baseUrl: string, file: string, log: (line: string) => void): Promise<{ id: string }> {
  const warm = await processedImageVia(baseUrl, file);
  log(`warm-up journey: image ${warm.id} created, uploaded and processed in ${Math.round(warm.ms)} ms`);
  return warm;
}
