/**
 * The CSP guard in page-harness.ts fails every browser test whose page was blocked by the
 * Content-Security-Policy. Here the guard itself is checked: its pattern must recognise what
 * Chromium actually reports for an inline script and an inline style (else a violation would
 * pass unnoticed), and the UI's sources must not need either.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserTestsEnabled } from './chromium.js';
import { CSP_VIOLATION, usePageHarness } from './page-harness.js';
import { WEB_SOURCE } from './web-build.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(tsx?|html)$/.test(entry.name) ? [full] : [];
  });
}

describe('the UI sources need no inline script or style', () => {
  it('no style props, inline handlers in HTML, or raw HTML injection', () => {
    const offenders = sourceFiles(WEB_SOURCE).filter((file) =>
      /\bstyle=\{|dangerouslySetInnerHTML|<script>|\son[a-z]+="/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

describe.skipIf(!browserTestsEnabled())('the CSP guard of the browser tests', () => {
  const h = usePageHarness();

  it("recognises Chromium's reports of a blocked inline script and inline style", async () => {
    // A second page of the same context: its violations must not fail this test's own guard.
    const probe = await h.page.context().newPage();
    const reports: string[] = [];
    probe.on('console', (message) => {
      if (message.type() === 'error') reports.push(message.text());
    });
    await probe.goto(h.server.url);
    await probe.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
    await probe.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.title = "pwned"';
      document.body.append(script);
      const styled = document.createElement('div');
      styled.setAttribute('style', 'color: red');
      document.body.append(styled);
    });
    const violations = (): string[] => reports.filter((text) => CSP_VIOLATION.test(text));
    await expect.poll(() => violations().length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    expect(violations().some((text) => /script/i.test(text))).toBe(true);
    expect(violations().some((text) => /style/i.test(text))).toBe(true);
    expect(await probe.title()).toBe('Sign in — MedVault');
    await probe.close();
  });
});
