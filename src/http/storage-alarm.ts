/**
 * Whether the database's disk was found full, for GET /readyz. Raised whenever a request is
 * refused with `storage_full`; nothing is checked until then, so readiness stays one `select 1`.
 * While raised, readiness fails until the disk has room again: on SQLite, until the data folder's
 * filesystem shows `minFreeBytes` free (an operator freed space); on PostgreSQL, whose disk the
 * server cannot see, until `holdMs` passed without another refused write.
 */
export class StorageAlarm {
  private raisedAt: number | undefined;

  constructor(
    private readonly freeBytes?: () => Promise<number>,
    private readonly options: {
      readonly minFreeBytes?: number;
      readonly holdMs?: number;
      readonly now?: () => number;
    } = {},
  ) {}

  raise(): void {
    this.raisedAt = (this.options.now ?? Date.now)();
  }

  /** Throws while the disk is (as last seen) full; clears the alarm once there is room. */
  async check(): Promise<void> {
    if (this.raisedAt === undefined) return;
    if (await this.roomAgain(this.raisedAt)) {
      this.raisedAt = undefined;
      return;
    }
    throw new Error('the database disk is full: writes are refused until space is freed');
  }

  private async roomAgain(raisedAt: number): Promise<boolean> {
    if (this.freeBytes !== undefined) {
      return (await this.freeBytes()) >= (this.options.minFreeBytes ?? 1024 * 1024);
    }
    return (this.options.now ?? Date.now)() - raisedAt >= (this.options.holdMs ?? 10_000);
  }
}
