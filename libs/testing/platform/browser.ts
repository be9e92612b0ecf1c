import { Browser, chromium } from 'playwright-core';
import { toolPath } from '@imagery/kernel/repo-root';

/** Flags for a quiet, offline, headless Chromium: no sandbox (containers, CI), no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A headless Chromium driven by playwright-core. The binary is the system's Chromium from
 * scripts/tools.sh (installed on first use), not a Playwright download: the machine may be offline.
 * Callers close it (browser.close()) in afterAll, which ends every Chromium process it started.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: toolPath('chromium'), headless: true, args: CHROMIUM_ARGS });
}
