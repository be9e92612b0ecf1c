import { compareSepia } from '@imagery/image-filter';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { repoRoot } from '@imagery/kernel/repo-root';
import { launchChromium } from '@imagery/testing/platform/browser';
import { makeJpeg } from '@imagery/testing/platform/test-images';
import { TestApi, TestWorker, startTestApi, startTestWorker } from '@imagery/testing/platform/test-platform';
import { eventually } from '@imagery/testing/eventually';
import { asJson, call, uploadForm } from '@imagery/testing/api/api-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SCREENSHOTS = join(repoRoot(), '.run');

/**
 * The web page (apps/api/public) in a real headless Chromium, against the real API and worker
 * (in-process) on the jest run's moto emulator: with JavaScript, without it, and with a bad file.
 */
describe('the web page in a real browser', () => {
  let api: TestApi;
  let worker: TestWorker;
  let browser: Browser;
  let jpeg: Buffer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // one after another, so that a failing start leaves nothing running that afterAll cannot see
    jpeg = await makeJpeg(480, 320, { seed: 7 });
    api = await startTestApi();
    worker = await startTestWorker();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close(); // ends every Chromium process it started, contexts included
    await Promise.all([worker?.close(), api?.close()]);
  });

  async function openPage(options: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      viewport: { width: options.width ?? 800, height: 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  /** Records every state the page's view shows, in order, from the moment it is called. */
  async function recordStates(page: Page): Promise<() => Promise<string[]>> {
    await page.evaluate(() => {
      const view = document.getElementById('view')!;
      const seen: string[] = [];
      (window as unknown as { seenStates: string[] }).seenStates = seen;
      new MutationObserver(() => {
        const state = view.dataset.state ?? '';
        if (seen[seen.length - 1] !== state) seen.push(state);
      }).observe(view, { attributes: true, attributeFilter: ['data-state'] });
    });
    return () => page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
  }

  async function createOnPage(page: Page): Promise<string> {
    await page.getByRole('button', { name: 'Create image process' }).click();
    await page.waitForURL(/#view=/);
    const id = decodeURIComponent(new URL(page.url()).hash.replace('#view=', ''));
    expect(id).toMatch(UUID);
    expect(await page.locator('#create-message').textContent()).toContain(id);
    expect(await page.locator('#upload-form').getAttribute('action')).toBe(`/image/${id}/upload`);
    return id;
  }

  it('with JavaScript: create, choose a JPEG, upload, and watch it become a sepia image', async () => {
    const page = await openPage();
    await page.goto(`${api.url}/`);
    expect(await page.title()).toMatch(/Imagery/);
    const states = await recordStates(page);

    const id = await createOnPage(page);
    await page.getByLabel(/Image file/).setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.getByRole('button', { name: 'Upload' }).click();

    const image = page.locator('#processed-image');
    await image.waitFor({ state: 'visible' });
    await page.waitForFunction(() => {
      const img = document.getElementById('processed-image') as HTMLImageElement;
      return img.complete && img.naturalWidth > 0;
    });

    expect(await page.locator('#view').getAttribute('data-state')).toBe('processed');
    expect(await page.locator('#status').textContent()).toMatch(/processed/i);
    expect(await page.locator('#steps li.done').count()).toBe(3);
    expect(await page.locator('#steps li[aria-current="step"]').textContent()).toBe('Processed');
    expect(await states()).toEqual(['created', 'uploaded', 'processed']);
    expect(await page.locator('#upload-message').textContent()).toContain('Uploaded photo.jpg');
    expect(await page.locator('#upload-error').textContent()).toBe('');

    // what the browser displays is the sepia rendering of what was uploaded
    expect(await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([480, 320]);
    const src = (await image.getAttribute('src'))!;
    const shown = await fetch(src);
    expect(shown.status).toBe(200);
    const comparison = await compareSepia(jpeg, Buffer.from(await shown.arrayBuffer()));
    expect(comparison).toMatchObject({ ok: true });

    const item = await call(`${api.url}/image/${id}`);
    expect(item.body).toMatchObject({ id, state: 'processed' });

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'web-page.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: join(SCREENSHOTS, 'web-page-mobile.png'), fullPage: true });
    // nothing wider than a phone's screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it('without JavaScript: create and upload are plain form posts, answered by 303s down to the page view', async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await page.goto(`${api.url}/`);
    expect(await page.locator('noscript .note').isVisible()).toBe(true); // the no-JavaScript path
    expect(await page.locator('#open-form').isVisible()).toBe(false); // and no JavaScript-only controls

    const responses: { url: string; status: number }[] = [];
    page.on('response', (r) => responses.push({ url: r.url(), status: r.status() }));
    await Promise.all([
      page.waitForURL(/\/image\/[0-9a-f-]{36}\/upload$/),
      page.getByRole('button', { name: 'Create an image process' }).click(),
    ]);
    const id = /image\/([0-9a-f-]{36})\/upload/.exec(page.url())![1];
    expect(responses).toContainEqual({ url: `${api.url}/image`, status: 303 });

    await page.getByLabel(/Image file/).setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await Promise.all([page.waitForURL(`${api.url}/#view=${id}`), page.getByRole('button', { name: 'Upload' }).click()]);

    expect(responses).toContainEqual({ url: `${api.url}/image/${id}/upload`, status: 303 });
    expect(await page.title()).toMatch(/Imagery/); // landed back on the page, not on JSON
    const done = await eventually(
      async () => {
        const res = await call<{ state: string; processedImage?: string }>(`${api.url}/image/${id}`);
        return res.body.state === 'processed' ? res.body : undefined;
      },
      20_000,
      `image ${id} processed`,
    );
    const processed = Buffer.from(await (await fetch(done.processedImage!)).arrayBuffer());
    expect((await compareSepia(jpeg, processed)).ok).toBe(true);
  });

  it('uploading a file that is not an image shows the server’s error message on the page', async () => {
    const text = Buffer.from('these are notes, not a picture\n'.repeat(20));
    // what the API says about such a file, asked directly
    const other = await call<{ id: string }>(`${api.url}/image`, { method: 'POST', headers: asJson });
    const direct = await call<{ message: string }>(`${api.url}/image/${other.body.id}/upload`, {
      method: 'POST',
      body: uploadForm(text, 'notes.txt', 'text/plain'),
      headers: asJson,
    });
    expect(direct.status).toBe(415);

    const page = await openPage();
    await page.goto(`${api.url}/`);
    const id = await createOnPage(page);
    await page.getByLabel(/Image file/).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: text });
    await page.getByRole('button', { name: 'Upload' }).click();

    const alert = page.locator('#upload-error');
    await alert.filter({ hasText: direct.body.message }).waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(page.url()).toBe(`${api.url}/#view=${id}`); // shown inline, no navigation to a JSON page
    expect(await page.locator('#view').getAttribute('data-state')).toBe('created');
    expect(await page.locator('#upload-fields').isDisabled()).toBe(false); // free to try another file
    expect((await call(`${api.url}/image/${id}`)).body).toMatchObject({ state: 'created' });
  });
});
