/**
 * Browser-test harness: Playwright (playwright-core, no bundled browsers) driving Debian's
 * Chromium. `.ci/run` installs it with `apt-get install chromium`, so in CI a missing binary is a
 * failure; on a developer machine without it the browser tests are skipped, visibly.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a quiet, deterministic headless run inside containers: no sandbox (containers lack
 * user namespaces), no GPU, no QUIC, and no background traffic to Google services.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let warned = false;

/**
 * True when Chromium is installed. Without it: throws under CI (browser tests are required
 * there), otherwise warns once and returns false so the suite is skipped.
 */
export function browserTestsEnabled(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) {
    throw new Error(
      `Chromium is required in CI for the browser tests, but ${CHROMIUM_PATH} is missing (apt-get install chromium).`,
    );
  }
  if (!warned) {
    warned = true;
    console.warn(`browser tests skipped: ${CHROMIUM_PATH} not installed`);
  }
  return false;
}

/**
 * Launches headless Chromium. Playwright's `launch` already runs it with a fresh temporary
 * profile (user-data-dir) that it deletes on close, so runs never share cookies or storage.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
