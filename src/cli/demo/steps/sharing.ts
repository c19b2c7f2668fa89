import { GrantCreated, RecordPage, RecordView } from '../api-schemas.js';
import { errorCode } from '../http-client.js';
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
    const before = await world.api.send('GET', `/api/v1/records/${recs.labId}`, { token: second.token });
    world.say(`${second.displayName} before any grant: ${before.status} ${errorCode(before) ?? ''}`);
    if (before.status !== 404) throw new Error(`a doctor without a grant got ${before.status}`);
    const { grant } = await world.api.expect(GrantCreated, 201, 'POST', `/api/v1/patients/${p.id}/grants`, {
      token: p.token,
      json: { doctorId: second.id, recordTypes: ['lab_result'] },
    });
    world.say(`patient granted ${second.displayName} access to lab_result records (grant ${grant.id})`);
    const list = await world.api.expect(RecordPage, 200, 'GET', `/api/v1/patients/${p.id}/records`, {
      token: second.token,
    });
    world.say(
      `${second.displayName} lists the patient's records: ${list.records.map((r) => r.type).join(', ')}`,
    );
    if (list.records.some((r) => r.type !== 'lab_result'))
      throw new Error('the grant showed more than lab results');
    const lab = await world.api.expect(RecordView, 200, 'GET', `/api/v1/records/${recs.labId}`, {
      token: second.token,
    });
    world.say(`${second.displayName} reads "${lab.title}": 200`);
    const write = await world.api.send('POST', `/api/v1/patients/${p.id}/records`, {
      token: second.token,
      json: {
        type: 'lab_result',
        title: 'Added by a reader',
        body: { panel: 'Glucose', analytes: [{ name: 'Glucose', value: 5.1, unit: 'mmol/L' }] },
      },
    });
    world.say(
      `${second.displayName} tries to add a lab result with a read-only grant: ${write.status} ${errorCode(write) ?? ''}`,
    );
    if (write.status !== 403) throw new Error(`a read-only grant wrote a record (${write.status})`);
    const dx = await world.api.send('GET', `/api/v1/records/${recs.diagnosisId}`, { token: second.token });
    world.say(`${second.displayName} tries the diagnosis (not shared): ${dx.status} ${errorCode(dx) ?? ''}`);
    if (dx.status !== 404) throw new Error(`the diagnosis outside the grant answered ${dx.status}`);
    await world.api.expectStatus(204, 'DELETE', `/api/v1/patients/${p.id}/grants/${grant.id}`, {
      token: p.token,
    });
    world.say('patient revoked the grant');
    const after = await world.api.send('GET', `/api/v1/records/${recs.labId}`, { token: second.token });
    world.say(`${second.displayName} reads the lab result again: ${after.status} ${errorCode(after) ?? ''}`);
    if (after.status !== 404) throw new Error(`after revocation the read answered ${after.status}`);
    return 'shared one type to read, read it, could not write (403), revoked, refused (404) on the very next request';
  },
};
