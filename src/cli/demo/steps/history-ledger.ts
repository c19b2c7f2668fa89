import type { Step } from '../scenario.js';
import type { DemoWorld } from '../world.js';

/**
 * Step 9: the patient reads who accessed their data (from the ledger); the admin verifies the
 * whole ledger — every entry, the hash chain, the Merkle tree and the signed checkpoints.
 */
export const historyStep: Step = {
  title: 'Step 9 — The patient reads the access history; the admin verifies the ledger',
  async run(world: DemoWorld): Promise<string> {
    const p = world.needPatient();
    const admin = world.member('admin');
    const log = await world.as(p.token).call('accessLog', { params: { id: p.id }, query: { limit: 100 } });
    world.say(`access history (${log.entries.length} lines, alike entries of a day grouped; newest first):`);
    for (const e of log.entries.slice(0, 14)) {
      const who = e.actorName ?? e.actorRole ?? 'system';
      const what = `${e.recordType === null ? e.action : `${e.action} (${e.recordType})`}${e.count === 1 ? '' : ` ×${e.count}`}`;
      world.say(
        `  #${String(e.seq).padStart(4)} ${new Date(e.time).toISOString().slice(11, 19)} ${who.padEnd(22)} ${what.padEnd(32)} ${e.outcome}${e.relation === null ? '' : ` via ${e.relation}`}`,
      );
    }
    if (log.entries.length > 14) world.say(`  … and ${log.entries.length - 14} more`);
    const names = new Set(log.entries.map((e) => e.actorName));
    const second = world.member('doctor2').displayName;
    if (!names.has(second)) throw new Error(`the history does not show ${second}'s reads`);
    const asAdmin = world.as(admin.token);
    const cp = await asAdmin.call('auditCheckpoint');
    world.say(`latest signed checkpoint: tree size ${cp.treeSize}, root ${cp.root.slice(0, 20)}…`);
    const verified = await asAdmin.call('verifyLedger');
    if (!verified.ok) throw new Error(`the ledger does not verify: ${verified.message}`);
    world.say(
      `admin verified the ledger: ${verified.size} entries, hash chain, Merkle tree and checkpoints all check`,
    );
    return `patient saw ${log.entries.length} accesses incl. ${second}; ledger of ${verified.size} entries verifies`;
  },
};
