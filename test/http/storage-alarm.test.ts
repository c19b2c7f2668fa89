import { describe, expect, it } from 'vitest';
import { StorageAlarm } from '../../src/http/storage-alarm.js';

describe('StorageAlarm (readiness after a full disk)', () => {
  it('is quiet until raised, and checks nothing then', async () => {
    let asked = 0;
    const alarm = new StorageAlarm(async () => {
      asked++;
      return 0;
    });
    await expect(alarm.check()).resolves.toBeUndefined();
    expect(asked).toBe(0);
  });

  it('SQLite: not ready until the filesystem has room again', async () => {
    let free = 0;
    const alarm = new StorageAlarm(async () => free, { minFreeBytes: 1000 });
    alarm.raise();
    await expect(alarm.check()).rejects.toThrow(/disk is full/);
    free = 999;
    await expect(alarm.check()).rejects.toThrow(/disk is full/);
    free = 1000;
    await expect(alarm.check()).resolves.toBeUndefined();
    free = 0;
    // Cleared: no longer checked until the next refused write.
    await expect(alarm.check()).resolves.toBeUndefined();
  });

  it('SQLite: the default threshold is one MiB', async () => {
    const alarm = new StorageAlarm(async () => 1024 * 1024 - 1);
    alarm.raise();
    await expect(alarm.check()).rejects.toThrow();
  });

  it('PostgreSQL: not ready until the hold passed without another refused write', async () => {
    let now = 1_000;
    const alarm = new StorageAlarm(undefined, { holdMs: 500, now: () => now });
    alarm.raise();
    now += 499;
    await expect(alarm.check()).rejects.toThrow(/disk is full/);
    alarm.raise();
    now += 499;
    await expect(alarm.check()).rejects.toThrow(/disk is full/);
    now += 1;
    await expect(alarm.check()).resolves.toBeUndefined();
  });

  it('PostgreSQL: holds ten seconds by default', async () => {
    let now = 0;
    const alarm = new StorageAlarm(undefined, { now: () => now });
    alarm.raise();
    now = 9_999;
    await expect(alarm.check()).rejects.toThrow();
    now = 10_000;
    await expect(alarm.check()).resolves.toBeUndefined();
  });
});
