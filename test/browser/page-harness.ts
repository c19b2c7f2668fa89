/**
 * Shared set-up for browser tests: the current UI build served by a freshly started MedVault
 * server, one Chromium for the file, a fresh context (no cookies, no storage) per test, and
 * after each test the checks every page must pass: no uncaught exception, nothing blocked by
 * the Content-Security-Policy.
 */
import type { Browser, BrowserContext, Locator, Page, Request, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { launchChromium } from './chromium.js';
import { axeViolations } from './page-checks.js';
import { ensureWebBuild } from './web-build.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Chromium's wordings for a CSP violation, old ("Refused to …") and new ("… violates the following …"). */
export const CSP_VIOLATION = /Content Security Policy|Refused to|violates the following/i;

export interface PageHarness {
  readonly server: TestServer;
  readonly page: Page;
  /** Every /api request the current page made, as "METHOD /path". */
  readonly apiCalls: readonly string[];
  /** Loads `/` and waits for the login page. */
  openLoginPage(): Promise<void>;
  patientPanel(): Locator;
  staffPanel(): Locator;
  /** Labels of the main navigation's links, in order. */
  navLabels(): Promise<string[]>;
  /** Answers one API route inside the browser and records the requests it saw. */
  mockRoute(route: string, reply: (request: Request) => MockReply): Promise<Request[]>;
}

export interface MockReply {
  readonly status: number;
  readonly body?: unknown;
}

/** Registers the hooks in the calling `describe` and returns live accessors to its state. */
export function usePageHarness(): PageHarness {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let consoleErrors: string[] = [];
  let pageErrors: string[] = [];
  let apiCalls: string[] = [];

  beforeAll(async () => {
    const webRoot = await ensureWebBuild();
    server = await startTestServer({ webRoot });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    if (!browser) throw new Error('browser not started');
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000); // generous: CI machines run two browsers at once
    const current = await context.newPage();
    page = current;
    consoleErrors = [];
    pageErrors = [];
    apiCalls = [];
    current.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    current.on('pageerror', (error) => pageErrors.push(error.message));
    current.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/')) apiCalls.push(`${request.method()} ${pathname}`);
    });
  });

  afterEach(async () => {
    // Whatever a test did, the page must never have crashed or been blocked by the CSP.
    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((text) => CSP_VIOLATION.test(text))).toEqual([]);
    await context?.close();
  });

  const harness: PageHarness = {
    get server() {
      if (!server) throw new Error('server not started');
      return server;
    },
    get page() {
      if (!page) throw new Error('no page: use the harness inside a test');
      return page;
    },
    get apiCalls() {
      return apiCalls;
    },
    async openLoginPage() {
      const response = await harness.page.goto(harness.server.url);
      expect(response?.status()).toBe(200);
      await harness.page.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
    },
    patientPanel: () => harness.page.getByRole('tabpanel', { name: 'Patient' }),
    staffPanel: () => harness.page.getByRole('tabpanel', { name: 'Staff' }),
    navLabels: () =>
      harness.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents(),
    async mockRoute(route, reply) {
      const seen: Request[] = [];
      await harness.page.route(`${harness.server.url}/api/v1${route}`, async (intercepted: Route) => {
        seen.push(intercepted.request());
        const { status, body } = reply(intercepted.request());
        await intercepted.fulfill({
          status,
          contentType: 'application/json',
          body: body === undefined ? '' : JSON.stringify(body),
        });
      });
      return seen;
    },
  };
  return harness;
}

/** axe-core finds nothing critical, serious or moderate on the page as it stands. */
export async function expectAccessible(h: { readonly page: Page }): Promise<void> {
  const blocking = (await axeViolations(h.page)).filter((v) => v.impact !== 'minor');
  expect(blocking.map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.targets.join(', ')}`)).toEqual([]);
}
