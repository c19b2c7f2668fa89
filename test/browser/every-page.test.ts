/**
 * Every page of every role of the demo hospital, in Chromium, at 1280 and 390 px (issue 20):
 * axe-core finds no violation of critical, serious or moderate impact, and no table scrolls
 * sideways, lies outside the window or clips a cell. `npm run screenshots` walks the same pages.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoHospital, type DemoHospital } from '../../src/synthetic/demo-hospital.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { browserTestsEnabled, launchChromium } from './chromium.js';
import { axeViolations, sidewaysProblems, WIDTHS } from './page-checks.js';
import { demoTour, settle } from './tour.js';
import { ensureWebBuild } from './web-build.js';

const BLOCKING_IMPACTS = new Set(['critical', 'serious', 'moderate']);

describe.skipIf(!browserTestsEnabled())('every page of every role', () => {
  let server: TestServer;
  let browser: Browser;
  let hospital: DemoHospital;

  beforeAll(async () => {
    server = await startTestServer({ webRoot: await ensureWebBuild() });
    const seeded = await seedDemoHospital(server.app, { dataDir: server.dataDir });
    if (!seeded) throw new Error('demo hospital not seeded');
    hospital = seeded;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const roles = ['anonymous', 'patient', 'doctor', 'pharmacist', 'registrar', 'admin'];
  it.each(roles)('%s: no accessibility violation and no table hiding content', async (role) => {
    const tour = demoTour(hospital).find((t) => t.role === role);
    if (!tour) throw new Error(`no tour for ${role}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const found: string[] = [];
    try {
      await tour.signIn?.(page, server.url);
      for (const stop of tour.stops) {
        await page.setViewportSize({ width: 1280, height: 900 });
        await stop.open(page, server.url);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          await settle(page);
          for (const v of await axeViolations(page)) {
            if (BLOCKING_IMPACTS.has(v.impact))
              found.push(
                `${stop.name} @${width}: axe ${v.impact} ${v.id} (${v.help}) at ${v.targets.join(', ')}`,
              );
          }
          for (const problem of await sidewaysProblems(page))
            found.push(`${stop.name} @${width}: ${problem}`);
        }
      }
    } finally {
      await context.close();
    }
    expect(found).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
