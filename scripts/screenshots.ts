/**
 * `npm run screenshots`: photographs every page of every role of the demo hospital at 1280 and
 * 390 px for review, into `screenshots/` (or the folder given as the first argument). It starts a
 * throw-away server with the demo hospital on the current web build (built first when stale) and
 * drives Debian's Chromium (/usr/bin/chromium) with playwright-core; the walk is the one the
 * browser test checks with axe-core (test/browser/tour.ts).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { seedDemoHospital } from '../src/synthetic/demo-hospital.js';
import { startTestServer } from '../test/support/server.js';
import { launchChromium } from '../test/browser/chromium.js';
import { sidewaysProblems, WIDTHS } from '../test/browser/page-checks.js';
import { demoTour, settle } from '../test/browser/tour.js';
import { ensureWebBuild } from '../test/browser/web-build.js';

const outDir = path.resolve(process.argv[2] ?? 'screenshots');
mkdirSync(outDir, { recursive: true });

const server = await startTestServer({ webRoot: await ensureWebBuild() });
const browser = await launchChromium();
let written = 0;
try {
  const hospital = await seedDemoHospital(server.app, { dataDir: server.dataDir });
  if (!hospital) throw new Error('the demo hospital was not seeded');
  for (const tour of demoTour(hospital)) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // tsx compiles with esbuild's keepNames, which wraps the functions handed to page.evaluate in
    // calls to a `__name` helper that exists only in Node: give the page a harmless one.
    await context.addInitScript('globalThis.__name = (fn) => fn;');
    const page = await context.newPage();
    await tour.signIn?.(page, server.url);
    for (const stop of tour.stops) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await stop.open(page, server.url);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await settle(page);
        const file = path.join(outDir, `${tour.role}-${stop.name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        written++;
        for (const problem of await sidewaysProblems(page))
          console.warn(`${tour.role}/${stop.name} @${width}: ${problem}`);
      }
    }
    await context.close();
  }
  console.log(`${written} screenshots written to ${outDir}`);
} finally {
  await browser.close();
  await server.close();
}
