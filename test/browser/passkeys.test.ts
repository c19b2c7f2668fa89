/**
 * Issue 14, passkeys in real Chromium with the DevTools virtual authenticator, against a real
 * server on http://localhost (a secure context; 127.0.0.1 would not do for WebAuthn). Doctors are
 * under `required`: the first sign-in leads through adding a passkey, later ones sign with it.
 * The server refuses an assertion without user verification, and one whose signature counter
 * went back (a cloned authenticator).
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsEnabled, launchChromium } from './chromium.js';
import { keyFile } from './sign-in.js';
import { ensureWebBuild } from './web-build.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GOOD_PASSWORD, sign } from '../support/people.js';

describe.skipIf(!browserTestsEnabled())(
  'passkeys as the second factor (Chromium virtual authenticator)',
  () => {
    let server: TestServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let cdp: CDPSession;
    let authenticatorId: string;
    let origin: string;
    let doctor: { username: string; privateKeyPem: string };

    beforeAll(async () => {
      server = await startTestServer({
        webRoot: await ensureWebBuild(),
        settings: { MEDVAULT_SECOND_FACTOR_POLICY: 'doctor=required' },
      });
      origin = server.url.replace('127.0.0.1', 'localhost');
      const made = await server.app.identity.staffAccounts.createAsOperator({
        role: 'doctor',
        username: 'dr.passkey',
        displayName: 'Dr Passkey',
        password: GOOD_PASSWORD,
        key: { generate: 'ed25519' },
      });
      doctor = { username: 'dr.passkey', privateKeyPem: made.privateKeyPem! };
      browser = await launchChromium();
      context = await browser.newContext();
      context.setDefaultTimeout(20_000);
      page = await context.newPage();
      cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      }));
    }, 120_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await server?.close();
    });

    /** The staff first step through the login page; answers when the second step shows. */
    async function firstFactor(): Promise<void> {
      await page.goto(origin);
      await page.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
      await page.getByRole('tab', { name: 'Staff' }).click();
      const panel = page.getByRole('tabpanel', { name: 'Staff' });
      await panel.getByLabel('Username').fill(doctor.username);
      await panel.getByLabel('Password').fill(GOOD_PASSWORD);
      await panel.getByLabel('Private key file').setInputFiles(keyFile(doctor.privateKeyPem));
      await panel.getByRole('button', { name: 'Sign in with key' }).click();
    }

    /** A pending token of a fresh first step, through the API (for the server-side refusals). */
    async function pendingToken(): Promise<string> {
      const post = async (path: string, body: unknown) =>
        (await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((r) => r.json())) as Record<string, unknown>;
      const ch = (await post('/api/v1/auth/staff/challenge', { username: doctor.username })) as {
        challengeId: string;
        challenge: unknown;
      };
      const login = (await post('/api/v1/auth/staff/login', {
        username: doctor.username,
        password: GOOD_PASSWORD,
        challengeId: ch.challengeId,
        signature: sign('ed25519', doctor.privateKeyPem, ch.challenge),
      })) as { secondFactor: { pendingToken: string } };
      return login.secondFactor.pendingToken;
    }

    /**
     * In the page: asks the server for sign-in options, signs with the virtual authenticator
     * (asking for `userVerification`), posts the assertion; answers the HTTP status.
     */
    async function assertInPage(
      token: string,
      userVerification: 'discouraged' | 'required',
    ): Promise<number> {
      return page.evaluate(
        async ({ token, userVerification }) => {
          const b64 = (s: string) =>
            Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
          const u64 = (b: ArrayBuffer) =>
            btoa(String.fromCharCode(...new Uint8Array(b)))
              .replace(/\+/g, '-')
              .replace(/\//g, '_')
              .replace(/=+$/, '');
          const post = (path: string, body: unknown) =>
            fetch(path, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-medvault-csrf': '1' },
              body: JSON.stringify(body),
            });
          const { options } = (await (
            await post('/api/v1/auth/second-factor/passkey/options', { pendingToken: token })
          ).json()) as {
            options: {
              challenge: string;
              rpId: string;
              allowCredentials: { id: string; type: 'public-key' }[];
            };
          };
          const credential = (await navigator.credentials.get({
            publicKey: {
              challenge: b64(options.challenge),
              rpId: options.rpId,
              allowCredentials: options.allowCredentials.map((c) => ({
                type: 'public-key' as const,
                id: b64(c.id),
              })),
              userVerification,
            },
          })) as PublicKeyCredential;
          const r = credential.response as AuthenticatorAssertionResponse;
          const response = {
            id: credential.id,
            rawId: u64(credential.rawId),
            type: 'public-key',
            response: {
              clientDataJSON: u64(r.clientDataJSON),
              authenticatorData: u64(r.authenticatorData),
              signature: u64(r.signature),
            },
            clientExtensionResults: {},
          };
          return (await post('/api/v1/auth/second-factor/passkey', { pendingToken: token, response })).status;
        },
        { token, userVerification },
      );
    }

    it('"required": the first sign-in leads through adding a passkey, which completes it', async () => {
      await firstFactor();
      await page.getByRole('heading', { name: 'Add a second factor' }).waitFor();
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      const list = await server.app.store.db
        .selectFrom('second_factors')
        .select(['kind', 'confirmed_at'])
        .execute();
      expect(list).toEqual([{ kind: 'passkey', confirmed_at: expect.any(Number) }]);
    });

    it('a later sign-in asks for the passkey and signs with it', async () => {
      await context.clearCookies();
      await firstFactor();
      await page.getByRole('heading', { name: 'Second factor' }).waitFor();
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
    });

    it('an assertion without user verification is refused by the server (UV required for doctors)', async () => {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
      try {
        expect(await assertInPage(await pendingToken(), 'discouraged')).toBe(401);
      } finally {
        await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
      }
      // The same authenticator verifying the user is accepted.
      expect(await assertInPage(await pendingToken(), 'required')).toBe(200);
    });

    it('single use: once a pending sign-in is completed, its token and challenge answer nothing', async () => {
      const token = await pendingToken();
      expect(await assertInPage(token, 'required')).toBe(200);
      // The options call of the used token is refused (401), so no new challenge can be had with it.
      expect(await assertInPage(token, 'required').catch(() => 401)).toBe(401);
    });

    it('a cloned authenticator (its signature counter set back) is refused', async () => {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      const original = credentials[0]!;
      expect(original.signCount).toBeGreaterThan(0);
      await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: original.credentialId });
      await cdp.send('WebAuthn.addCredential', {
        authenticatorId,
        credential: { ...original, signCount: 0 },
      });
      expect(await assertInPage(await pendingToken(), 'required')).toBe(401);
      const failures = (
        await server.app.audit.ledger.entries(server.app.store.db, {}, { limit: 50 })
      ).entries.filter((e) => e.action === 'login.failure');
      expect(JSON.stringify(failures)).toContain('passkey_counter');
    });
  },
);
