import { attempt, type ConsoleSession } from './session.js';
import { BACK, choose, show, type Back } from './ui.js';

/** The pharmacist's menu: the queue; choosing one verifies it and offers to dispense one fill. */
export async function pharmacistMenu(s: ConsoleSession): Promise<void> {
  for (;;) {
    const action = await choose<'queue' | Back>('Pharmacist menu', [
      { name: 'Prescription queue', value: 'queue' },
      { name: 'Log out', value: BACK },
    ]);
    if (action === BACK) return;
    await attempt(async () => {
      // Every pending prescription, page after page: the 101st is as visible as the first.
      const queue = await s.api.all('prescriptionQueue', { query: { status: 'pending' } });
      if (queue.length === 0) return show('  (queue empty)');
      const id = await choose<string | Back>('Pending prescriptions', [
        ...queue.map((i) => ({
          name: `${i.details === null ? '(unreadable)' : `${i.details.medicine.name} ${i.details.medicine.strength}`}  for ${i.patient.name ?? i.patient.id}  by ${i.prescriber.name ?? i.prescriber.id}`,
          value: i.id,
        })),
        { name: '← Back', value: BACK },
      ]);
      if (id === BACK) return;
      const view = await s.api.call('getPrescription', { params: { id } });
      show(
        `  signature: ${view.verification.valid ? 'VALID' : 'INVALID'} — ${view.verification.message} (key ${view.verification.keyId}, ${view.verification.algorithm})`,
      );
      const go = await choose('Dispense one fill?', [
        { name: 'Dispense', value: true },
        { name: 'Not now', value: false },
      ]);
      if (!go) return;
      const d = await s.api.call('dispensePrescription', { params: { id } });
      show(`  ✔ dispensed fill ${d.fillNumber}; ${d.fillsRemaining} left`);
    });
  }
}
