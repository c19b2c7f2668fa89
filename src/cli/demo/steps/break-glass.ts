import { describeSeen, seen } from '../answers.js';
import type { Step } from '../scenario.js';
import type { DemoWorld } from '../world.js';

/** The reason the second doctor types; the patient must see exactly this in the history. */
const REASON = 'Patient unconscious in the emergency department; checking allergies before treatment';

/**
 * Step 6: a doctor outside the care team breaks the glass on the second patient's chart (the
 * first one's stays closed to them, as the IDOR attack checks): the chart is closed, they open
 * it for one hour with a reason, read the diagnosis, and the patient sees that read in the
 * access history, flagged as break-glass with the reason.
 */
export const breakGlassStep: Step = {
  title: 'Step 6 — A doctor outside the care team breaks the glass; the patient sees why',
  async run(world: DemoWorld): Promise<string> {
    const p = world.needPatientB();
    const second = world.member('doctor2');
    const asSecond = world.as(second.token);
    const before = seen(await asSecond.answer('getRecord', { params: { id: p.recordId } }));
    world.say(`${second.displayName} opens the diagnosis without access: ${describeSeen(before)}`);
    if (before.status !== 404) throw new Error(`a doctor outside the care team got ${before.status}`);
    const opened = await asSecond.call('breakGlass', { params: { id: p.id }, body: { reason: REASON } });
    const minutes = Math.round((opened.expiresAt - Date.now()) / 60_000);
    world.say(`${second.displayName} breaks the glass: "${REASON}" (access for ${minutes} minutes)`);
    const dx = await asSecond.call('getRecord', { params: { id: p.recordId } });
    world.say(`${second.displayName} reads "${dx.title}": 200`);
    const log = await world.as(p.token).call('accessLog', { params: { id: p.id }, query: { limit: 50 } });
    const flagged = log.entries.filter(
      (e) =>
        e.relation === 'break_glass' && e.actorName === second.displayName && e.breakGlassReason === REASON,
    );
    for (const e of flagged.slice(0, 3)) {
      world.say(
        `  patient's history: ${e.actorName} ${e.action}${e.recordType === null ? '' : ` (${e.recordType})`} via break-glass — "${e.breakGlassReason}"`,
      );
    }
    if (!flagged.some((e) => e.recordId === p.recordId)) {
      throw new Error("the patient's history does not show the break-glass read with its reason");
    }
    return `closed (404), opened with a reason, read (200); the patient sees ${flagged.length} break-glass entries with the reason`;
  },
};
