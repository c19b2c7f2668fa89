import type { MedicineRow } from '../../store/medicine-repository.js';

/**
 * The seeded medicines catalog: common generic medicines with one strength, dose form and route
 * each (a medicine in two strengths is two entries, as on a formulary). `schedule` is the US
 * DEA controlled-substance schedule where one applies (21 CFR 1308), else null. Reference data,
 * not advice; a hospital extends it by adding entries here (ids are permanent: a signed
 * prescription names one).
 *
 * Inserted at start-up, missing ids only (src/app/prescriptions/medicines.ts).
 */
type Entry = readonly [
  genericName: string,
  strength: string,
  form: string,
  route: string,
  schedule?: 'II' | 'III' | 'IV' | 'V',
];

const ENTRIES: readonly Entry[] = [
  ['Acetaminophen', '500 mg', 'tablet', 'oral'],
  ['Acyclovir', '400 mg', 'tablet', 'oral'],
  ['Albuterol', '90 mcg/actuation', 'inhaler', 'inhalation'],
  ['Alendronate', '70 mg', 'tablet', 'oral'],
  ['Allopurinol', '100 mg', 'tablet', 'oral'],
  ['Alprazolam', '0.5 mg', 'tablet', 'oral', 'IV'],
  ['Amiodarone', '200 mg', 'tablet', 'oral'],
  ['Amitriptyline', '25 mg', 'tablet', 'oral'],
  ['Amlodipine', '5 mg', 'tablet', 'oral'],
  ['Amlodipine', '10 mg', 'tablet', 'oral'],
  ['Amoxicillin', '500 mg', 'capsule', 'oral'],
  ['Amoxicillin and clavulanate', '875 mg/125 mg', 'tablet', 'oral'],
  ['Atenolol', '50 mg', 'tablet', 'oral'],
  ['Atorvastatin', '20 mg', 'tablet', 'oral'],
  ['Atorvastatin', '40 mg', 'tablet', 'oral'],
  ['Azithromycin', '250 mg', 'tablet', 'oral'],
  ['Baclofen', '10 mg', 'tablet', 'oral'],
  ['Budesonide and formoterol', '160 mcg/4.5 mcg', 'inhaler', 'inhalation'],
  ['Bupropion', '150 mg', 'extended-release tablet', 'oral'],
  ['Buprenorphine and naloxone', '8 mg/2 mg', 'sublingual film', 'sublingual', 'III'],
  ['Carvedilol', '12.5 mg', 'tablet', 'oral'],
  ['Cefalexin', '500 mg', 'capsule', 'oral'],
  ['Cetirizine', '10 mg', 'tablet', 'oral'],
  ['Ciprofloxacin', '500 mg', 'tablet', 'oral'],
  ['Citalopram', '20 mg', 'tablet', 'oral'],
  ['Clonazepam', '0.5 mg', 'tablet', 'oral', 'IV'],
  ['Clopidogrel', '75 mg', 'tablet', 'oral'],
  ['Codeine and acetaminophen', '30 mg/300 mg', 'tablet', 'oral', 'III'],
  ['Cyclobenzaprine', '10 mg', 'tablet', 'oral'],
  ['Dexamethasone', '4 mg', 'tablet', 'oral'],
  ['Diazepam', '5 mg', 'tablet', 'oral', 'IV'],
  ['Diclofenac', '50 mg', 'tablet', 'oral'],
  ['Digoxin', '0.125 mg', 'tablet', 'oral'],
  ['Doxycycline', '100 mg', 'capsule', 'oral'],
  ['Duloxetine', '60 mg', 'capsule', 'oral'],
  ['Enoxaparin', '40 mg/0.4 mL', 'prefilled syringe', 'subcutaneous'],
  ['Escitalopram', '10 mg', 'tablet', 'oral'],
  ['Esomeprazole', '40 mg', 'capsule', 'oral'],
  ['Fentanyl', '25 mcg/hour', 'transdermal patch', 'transdermal', 'II'],
  ['Fluconazole', '150 mg', 'tablet', 'oral'],
  ['Fluoxetine', '20 mg', 'capsule', 'oral'],
  ['Fluticasone', '50 mcg/spray', 'nasal spray', 'nasal'],
  ['Furosemide', '40 mg', 'tablet', 'oral'],
  ['Gabapentin', '300 mg', 'capsule', 'oral'],
  ['Glipizide', '5 mg', 'tablet', 'oral'],
  ['Hydrochlorothiazide', '25 mg', 'tablet', 'oral'],
  ['Hydrocodone and acetaminophen', '5 mg/325 mg', 'tablet', 'oral', 'II'],
  ['Hydroxychloroquine', '200 mg', 'tablet', 'oral'],
  ['Ibuprofen', '400 mg', 'tablet', 'oral'],
  ['Insulin glargine', '100 units/mL', 'pen injector', 'subcutaneous'],
  ['Insulin lispro', '100 units/mL', 'pen injector', 'subcutaneous'],
  ['Ipratropium', '0.5 mg/2.5 mL', 'nebuliser solution', 'inhalation'],
  ['Lamotrigine', '100 mg', 'tablet', 'oral'],
  ['Levetiracetam', '500 mg', 'tablet', 'oral'],
  ['Levofloxacin', '500 mg', 'tablet', 'oral'],
  ['Levothyroxine', '50 mcg', 'tablet', 'oral'],
  ['Levothyroxine', '100 mcg', 'tablet', 'oral'],
  ['Lisinopril', '10 mg', 'tablet', 'oral'],
  ['Lisinopril', '20 mg', 'tablet', 'oral'],
  ['Loratadine', '10 mg', 'tablet', 'oral'],
  ['Lorazepam', '1 mg', 'tablet', 'oral', 'IV'],
  ['Losartan', '50 mg', 'tablet', 'oral'],
  ['Meloxicam', '15 mg', 'tablet', 'oral'],
  ['Metformin', '500 mg', 'tablet', 'oral'],
  ['Metformin', '1000 mg', 'tablet', 'oral'],
  ['Methotrexate', '2.5 mg', 'tablet', 'oral'],
  ['Methylphenidate', '10 mg', 'tablet', 'oral', 'II'],
  ['Methylprednisolone', '4 mg', 'tablet', 'oral'],
  ['Metoprolol succinate', '50 mg', 'extended-release tablet', 'oral'],
  ['Metronidazole', '500 mg', 'tablet', 'oral'],
  ['Montelukast', '10 mg', 'tablet', 'oral'],
  ['Morphine', '15 mg', 'extended-release tablet', 'oral', 'II'],
  ['Naloxone', '4 mg/spray', 'nasal spray', 'nasal'],
  ['Naproxen', '500 mg', 'tablet', 'oral'],
  ['Nitrofurantoin', '100 mg', 'capsule', 'oral'],
  ['Nitroglycerin', '0.4 mg', 'sublingual tablet', 'sublingual'],
  ['Omeprazole', '20 mg', 'capsule', 'oral'],
  ['Ondansetron', '4 mg', 'orally disintegrating tablet', 'oral'],
  ['Oxycodone', '5 mg', 'tablet', 'oral', 'II'],
  ['Pantoprazole', '40 mg', 'tablet', 'oral'],
  ['Paroxetine', '20 mg', 'tablet', 'oral'],
  ['Phenytoin', '100 mg', 'capsule', 'oral'],
  ['Pravastatin', '40 mg', 'tablet', 'oral'],
  ['Prednisone', '20 mg', 'tablet', 'oral'],
  ['Pregabalin', '75 mg', 'capsule', 'oral', 'V'],
  ['Quetiapine', '50 mg', 'tablet', 'oral'],
  ['Ramipril', '5 mg', 'capsule', 'oral'],
  ['Rivaroxaban', '20 mg', 'tablet', 'oral'],
  ['Rosuvastatin', '10 mg', 'tablet', 'oral'],
  ['Salbutamol', '100 mcg/actuation', 'inhaler', 'inhalation'],
  ['Sertraline', '50 mg', 'tablet', 'oral'],
  ['Simvastatin', '20 mg', 'tablet', 'oral'],
  ['Spironolactone', '25 mg', 'tablet', 'oral'],
  ['Sulfamethoxazole and trimethoprim', '800 mg/160 mg', 'tablet', 'oral'],
  ['Tamsulosin', '0.4 mg', 'capsule', 'oral'],
  ['Tiotropium', '18 mcg', 'inhalation capsule', 'inhalation'],
  ['Tramadol', '50 mg', 'tablet', 'oral', 'IV'],
  ['Trazodone', '50 mg', 'tablet', 'oral'],
  ['Valacyclovir', '1 g', 'tablet', 'oral'],
  ['Venlafaxine', '75 mg', 'extended-release capsule', 'oral'],
  ['Warfarin', '5 mg', 'tablet', 'oral'],
  ['Zolpidem', '10 mg', 'tablet', 'oral', 'IV'],
];

/** "Amoxicillin", "500 mg", "capsule" → "amoxicillin-500mg-capsule". */
function slug(...parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The catalog as rows, ids derived from name, strength and form (unique; checked in tests). */
export const MEDICINE_CATALOG: readonly MedicineRow[] = ENTRIES.map(
  ([genericName, strength, form, route, schedule]) => ({
    id: slug(genericName.replace(/ /g, '_'), strength.replace(/\//g, '_'), form.replace(/ /g, '_')),
    genericName,
    strength,
    form,
    route,
    schedule: schedule ?? null,
  }),
);
