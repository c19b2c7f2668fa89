import type { SeededRandom } from './seeded-random.js';
import { type SyntheticPerson } from './synthetic-people.js';
import { LUNG_ZONES } from './xray-image.js';
import { type ClinicalProfile, type PlannedRecord } from './synthetic-basics.js';
import type { RecordBodies } from '../app/records/index.js';

const CLEAR_CHEST = {
  findings:
    'PA view. Lungs are clear. No focal consolidation, pleural effusion or pneumothorax. Cardiomediastinal silhouette within normal limits. No acute bony abnormality.',
  impression: 'No acute cardiopulmonary abnormality.',
};

/** Chest radiograph text and the matching image for this profile. */
export function chestXray(rng: SeededRandom, profile: ClinicalProfile): PlannedRecord {
  const fx = profile.effects;
  const cardiomegaly = fx.has('heart_failure');
  const hyperinflation = fx.has('copd');
  const consolidation = fx.has('pneumonia') ? rng.pick(LUNG_ZONES) : undefined;
  const parts: string[] = ['PA view.'];
  const impressions: string[] = [];
  if (consolidation !== undefined) {
    const zone = consolidation.replace('-', ' ');
    parts.push(`Patchy airspace opacity in the ${zone} zone with air bronchograms.`);
    impressions.push(`Consolidation in the ${zone} zone, consistent with pneumonia in the clinical context.`);
  }
  if (hyperinflation) {
    parts.push('Hyperinflated lungs with flattened hemidiaphragms.');
    impressions.push('Changes of chronic obstructive pulmonary disease.');
  }
  if (cardiomegaly) {
    parts.push('Cardiothoracic ratio about 0.58; upper lobe venous diversion.');
    impressions.push('Cardiomegaly with pulmonary venous congestion.');
  }
  const normal = parts.length === 1;
  const body = normal
    ? CLEAR_CHEST
    : { findings: `${parts.join(' ')} No pneumothorax.`, impression: impressions.join(' ') };
  return {
    type: 'imaging',
    title: 'Chest X-ray (PA)',
    body: { modality: 'X-ray', bodyPart: 'Chest', ...body },
    image: { ...(consolidation === undefined ? {} : { consolidation }), cardiomegaly, hyperinflation },
  };
}

export function imaging(rng: SeededRandom, person: SyntheticPerson, profile: ClinicalProfile): PlannedRecord {
  const fx = profile.effects;
  const study = (
    modality: RecordBodies['imaging']['modality'],
    bodyPart: string,
    findings: string,
    impression: string,
  ): PlannedRecord => ({
    type: 'imaging',
    title: `${modality} ${bodyPart.toLowerCase()}`,
    body: { modality, bodyPart, findings, impression },
  });
  const options: Array<readonly [() => PlannedRecord, number]> = [[() => chestXray(rng, profile), 5]];
  if (fx.has('pneumonia') || fx.has('copd') || fx.has('heart_failure') || fx.has('cough'))
    options.push([() => chestXray(rng, profile), 20]);
  if (fx.has('knee_oa'))
    options.push([
      () =>
        study(
          'X-ray',
          'Right knee',
          'Medial joint space narrowing with marginal osteophytes and subchondral sclerosis. No fracture.',
          'Moderate primary osteoarthritis of the right knee.',
        ),
      20,
    ]);
  if (fx.has('ankle_sprain'))
    options.push([
      () =>
        study(
          'X-ray',
          'Right ankle',
          'Lateral soft tissue swelling. Ankle mortise congruent. No fracture.',
          'Soft tissue injury; no fracture.',
        ),
      20,
    ]);
  if (fx.has('back_pain'))
    options.push([
      () =>
        study(
          'MRI',
          'Lumbar spine',
          'Mild disc desiccation at L4-L5 with a small central protrusion, no nerve root compression.',
          'Mild degenerative disc disease at L4-L5.',
        ),
      12,
    ]);
  if (fx.has('headache') || fx.has('stroke'))
    options.push([
      () =>
        fx.has('stroke')
          ? study(
              'CT',
              'Head',
              'Established low attenuation in the left MCA territory. No haemorrhage.',
              'Chronic left MCA territory infarct.',
            )
          : study(
              'CT',
              'Head',
              'No intracranial haemorrhage, mass or midline shift. Ventricles normal in size.',
              'Normal non-contrast CT of the head.',
            ),
      12,
    ]);
  if (fx.has('gallstones'))
    options.push([
      () =>
        study(
          'Ultrasound',
          'Abdomen',
          'Multiple mobile echogenic foci with acoustic shadowing in the gallbladder. Wall not thickened. CBD 4 mm.',
          'Cholelithiasis without cholecystitis.',
        ),
      20,
    ]);
  if (fx.has('osteoporosis'))
    options.push([
      () =>
        study(
          'Other',
          'Hip and lumbar spine (DXA)',
          'Lumbar spine T-score -2.8; left femoral neck T-score -2.6.',
          'Osteoporosis.',
        ),
      15,
    ]);
  if (person.sex === 'female' && person.age >= 40)
    options.push([
      () =>
        study(
          'Mammography',
          'Both breasts',
          'Scattered fibroglandular densities. No suspicious mass, calcification or architectural distortion.',
          'BI-RADS 1: negative.',
        ),
      6,
    ]);
  return rng.weighted(options)();
}
