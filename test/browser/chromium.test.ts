/** The harness's rule for a missing Chromium: skip visibly on a laptop, fail in CI. */
import { afterEach, describe, expect, it, vi } from 'vitest';

const fsState = vi.hoisted(() => ({ chromiumInstalled: false }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    existsSync: (file: string) => fsState.chromiumInstalled && file === '/usr/bin/chromium',
  };
});

const { browserTestsEnabled, CHROMIUM_PATH } = await import('./chromium.js');

describe('browserTestsEnabled', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('is true when Chromium is installed', () => {
    fsState.chromiumInstalled = true;
    expect(browserTestsEnabled()).toBe(true);
    expect(CHROMIUM_PATH).toBe('/usr/bin/chromium');
  });

  it('without Chromium in CI, throws and names the package to install', () => {
    fsState.chromiumInstalled = false;
    vi.stubEnv('CI', 'true');
    expect(() => browserTestsEnabled()).toThrow(/apt-get install chromium/);
  });

  it('without Chromium locally, warns once, visibly, and returns false', () => {
    fsState.chromiumInstalled = false;
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(browserTestsEnabled()).toBe(false);
    expect(browserTestsEnabled()).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('browser tests skipped: /usr/bin/chromium not installed');
  });
});
