import { GRANT_SCOPES, type GrantScope } from '../../contract/vocabulary/grant-scopes.js';
import { RECORD_TYPES, type RecordType } from '../../contract/vocabulary/record-types.js';
import { browseRecords, showAccessLog } from './records-view.js';
import { attempt, type ConsoleSession } from './session.js';
import { BACK, choose, show, type Back } from './ui.js';

/** How the console names what a grant lets the doctor do. */
const SCOPE_NAMES: Readonly<Record<GrantScope, string>> = { read: 'read only', read_write: 'read and write' };

async function sharing(s: ConsoleSession): Promise<void> {
  const params = { id: s.user.id };
  const { grants } = await s.api.call('listGrants', { params });
  for (const g of grants)
    show(
      `  ${g.status.padEnd(8)} ${g.doctorName ?? g.doctorId}  ${g.recordTypes === null ? 'all records' : g.recordTypes.join(', ')}  (${SCOPE_NAMES[g.scope]})`,
    );
  const action = await choose<'grant' | 'revoke' | Back>('Sharing', [
    { name: 'Share with a doctor', value: 'grant' },
    { name: 'Revoke a grant', value: 'revoke' },
    { name: '← Back', value: BACK },
  ]);
  if (action === 'grant') {
    const { doctors } = await s.api.call('listDoctors');
    const doctorId = await choose(
      'Doctor',
      doctors.map((d) => ({ name: d.displayName ?? d.id, value: d.id })),
    );
    const type = await choose<RecordType | null>('Which records', [
      { name: 'All record types', value: null },
      ...RECORD_TYPES.map((t) => ({ name: t, value: t })),
    ]);
    const scope = await choose<GrantScope>(
      'What may the doctor do',
      GRANT_SCOPES.map((value) => ({ name: SCOPE_NAMES[value], value })),
    );
    const { grant } = await s.api.call('createGrant', {
      params,
      body: { doctorId, scope, ...(type === null ? {} : { recordTypes: [type] }) },
    });
    show(`  ✔ shared (grant ${grant.id}, ${SCOPE_NAMES[grant.scope]})`);
  } else if (action === 'revoke') {
    const active = grants.filter((g) => g.status === 'active');
    if (active.length === 0) return show('  (no active grant)');
    const id = await choose(
      'Revoke',
      active.map((g) => ({
        name: `${g.doctorName ?? g.doctorId} (${g.recordTypes?.join(', ') ?? 'all'})`,
        value: g.id,
      })),
    );
    await s.api.call('revokeGrant', { params: { ...params, grantId: id } });
    show('  ✔ revoked');
  }
}

/** The patient's menu: their records, a record in full, who accessed them, sharing. */
export async function patientMenu(s: ConsoleSession): Promise<void> {
  for (;;) {
    const action = await choose<'records' | 'log' | 'sharing' | Back>('Patient menu', [
      { name: 'My records', value: 'records' },
      { name: 'Access history', value: 'log' },
      { name: 'Sharing', value: 'sharing' },
      { name: 'Log out', value: BACK },
    ]);
    if (action === BACK) return;
    await attempt(async () => {
      if (action === 'records') await browseRecords(s, s.user.id);
      else if (action === 'log') await showAccessLog(s, s.user.id);
      else await sharing(s);
    });
  }
}
