import { describeSeen, seen } from '../answers.js';
import type { Step } from '../scenario.js';
import type { DemoWorld } from '../world.js';

/**
 * Step 5: the patient shares one record type (lab results) with a second doctor, who reads it
 * (and only it) but may not add one (the grant reads only); the patient revokes, and that
 * doctor's next read is refused at once.
 */
export const sharingStep: Step = {
  title: 'Step 5 — The patient shares lab results with a second doctor, then revokes',
  async run(world: DemoWorld): Promise<string> {
    const p = world.needPatient();
    const recs = world.needRecords();
    const second = world.member('doctor2');
    const asSecond = world.as(second.token);
    const asPatient = world.as(p.token);
    const before = seen(await asSecond.answer('getRecord', { params: { id: recs.labId } }));
    world.say(`${second.displayName} before any grant: ${describeSeen(before)}`);
    if (before.status !== 404) throw new Error(`a doctor without a grant got ${before.status}`);
    const { grant } = await asPatient.call('createGrant', {
      params: { id: p.id },
      body: { doctorId: second.id, recordTypes: ['lab_result'] },
    });
    world.say(`patient granted ${second.displayName} access to lab_result records (grant ${grant.id})`);
    const list = await asSecond.all('listRecords', { params: { id: p.id } });
    world.say(`${second.displayName} lists the patient's records: ${list.map((r) => r.type).join(', ')}`);
    if (list.some((r) => r.type !== 'lab_result')) throw new Error('the grant showed more than lab results');
    const lab = await asSecond.call('getRecord', { params: { id: recs.labId } });
    world.say(`${second.displayName} reads "${lab.title}": 200`);
    const write = seen(
      await asSecond.answer('createRecord', {
        params: { id: p.id },
        body: {
          type: 'lab_result',
          title: 'Added by a reader',
          body: { panel: 'Glucose', analytes: [{ name: 'Glucose', value: 5.1, unit: 'mmol/L' }] },
        },
      }),
    );
    world.say(
      `${second.displayName} tries to add a lab result with a read-only grant: ${describeSeen(write)}`,
    );
    if (write.status !== 403) throw new Error(`a read-only grant wrote a record (${write.status})`);
    const dx = seen(await asSecond.answer('getRecord', { params: { id: recs.diagnosisId } }));
    world.say(`${second.displayName} tries the diagnosis (not shared): ${describeSeen(dx)}`);
    if (dx.status !== 404) throw new Error(`the diagnosis outside the grant answered ${dx.status}`);
    await asPatient.call('revokeGrant', { params: { id: p.id, grantId: grant.id } });
    world.say('patient revoked the grant');
    const after = seen(await asSecond.answer('getRecord', { params: { id: recs.labId } }));
    world.say(`${second.displayName} reads the lab result again: ${describeSeen(after)}`);
    if (after.status !== 404) throw new Error(`after revocation the read answered ${after.status}`);
    return 'shared one type to read, read it, could not write (403), revoked, refused (404) on the very next request';
  },
};
