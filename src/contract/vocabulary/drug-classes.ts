/**
 * What the medicine catalogue knows about each medicine beyond its name: its active ingredients
 * and their drug classes (issue 20, point 3). Prescribing checks compare these with a patient's
 * allergy records and active prescriptions (src/app/prescriptions/interaction-checks.ts); the
 * medicines search answers them (src/contract/api/medicines.ts). No dependencies: the browser
 * bundle imports this very table.
 *
 * Reference data for warnings, not clinical advice. A class list runs from the narrowest class to
 * the broadest (amoxicillin: penicillins, then beta-lactams), and a warning names the narrowest
 * class two things share.
 */

/** Drug classes: id → label, and the words an allergy record may use for the class. */
export const DRUG_CLASSES = {
  penicillins: { label: 'penicillins', terms: ['penicillin', 'penicillins'] },
  cephalosporins: { label: 'cephalosporins', terms: ['cephalosporin', 'cephalosporins'] },
  'beta-lactams': {
    label: 'beta-lactam antibiotics',
    terms: ['beta-lactam', 'beta-lactams', 'beta lactam', 'beta-lactam antibiotics'],
  },
  'beta-lactamase-inhibitors': { label: 'beta-lactamase inhibitors', terms: ['beta-lactamase inhibitor'] },
  macrolides: { label: 'macrolides', terms: ['macrolide', 'macrolides'] },
  fluoroquinolones: {
    label: 'fluoroquinolones',
    terms: ['fluoroquinolone', 'fluoroquinolones', 'quinolones'],
  },
  tetracyclines: { label: 'tetracyclines', terms: ['tetracycline', 'tetracyclines'] },
  sulfonamides: {
    label: 'sulfonamides',
    terms: ['sulfa', 'sulfa drugs', 'sulfonamide', 'sulfonamides', 'sulfonamide antibiotics'],
  },
  nsaids: {
    label: 'NSAIDs',
    terms: ['nsaid', 'nsaids', 'non-steroidal anti-inflammatory drugs', 'anti-inflammatories'],
  },
  opioids: { label: 'opioids', terms: ['opioid', 'opioids', 'opiate', 'opiates'] },
  benzodiazepines: { label: 'benzodiazepines', terms: ['benzodiazepine', 'benzodiazepines'] },
  ssris: { label: 'SSRIs', terms: ['ssri', 'ssris'] },
  snris: { label: 'SNRIs', terms: ['snri', 'snris'] },
  statins: { label: 'statins', terms: ['statin', 'statins'] },
  'proton-pump-inhibitors': {
    label: 'proton pump inhibitors',
    terms: ['ppi', 'ppis', 'proton pump inhibitors'],
  },
  'ace-inhibitors': { label: 'ACE inhibitors', terms: ['ace inhibitor', 'ace inhibitors'] },
  arbs: { label: 'angiotensin receptor blockers', terms: ['arb', 'arbs'] },
  'beta-blockers': { label: 'beta blockers', terms: ['beta blocker', 'beta blockers', 'beta-blockers'] },
  anticoagulants: { label: 'anticoagulants', terms: ['anticoagulant', 'anticoagulants'] },
  'systemic-corticosteroids': { label: 'systemic corticosteroids', terms: ['corticosteroids', 'steroids'] },
  antihistamines: { label: 'antihistamines', terms: ['antihistamine', 'antihistamines'] },
  gabapentinoids: { label: 'gabapentinoids', terms: ['gabapentinoid', 'gabapentinoids'] },
} as const satisfies Record<string, { readonly label: string; readonly terms: readonly string[] }>;
export type DrugClass = keyof typeof DRUG_CLASSES;

/**
 * Ingredients with classes, narrowest first. Ingredients not listed have no class (they still
 * match themselves). A few are here only because allergy records name them (penicillin, aspirin).
 */
const INGREDIENT_CLASSES: Readonly<Record<string, readonly DrugClass[]>> = {
  penicillin: ['penicillins', 'beta-lactams'],
  amoxicillin: ['penicillins', 'beta-lactams'],
  clavulanate: ['beta-lactamase-inhibitors'],
  cefalexin: ['cephalosporins', 'beta-lactams'],
  azithromycin: ['macrolides'],
  ciprofloxacin: ['fluoroquinolones'],
  levofloxacin: ['fluoroquinolones'],
  doxycycline: ['tetracyclines'],
  sulfamethoxazole: ['sulfonamides'],
  aspirin: ['nsaids'],
  ibuprofen: ['nsaids'],
  naproxen: ['nsaids'],
  diclofenac: ['nsaids'],
  meloxicam: ['nsaids'],
  codeine: ['opioids'],
  hydrocodone: ['opioids'],
  oxycodone: ['opioids'],
  morphine: ['opioids'],
  fentanyl: ['opioids'],
  tramadol: ['opioids'],
  buprenorphine: ['opioids'],
  alprazolam: ['benzodiazepines'],
  clonazepam: ['benzodiazepines'],
  diazepam: ['benzodiazepines'],
  lorazepam: ['benzodiazepines'],
  citalopram: ['ssris'],
  escitalopram: ['ssris'],
  fluoxetine: ['ssris'],
  paroxetine: ['ssris'],
  sertraline: ['ssris'],
  duloxetine: ['snris'],
  venlafaxine: ['snris'],
  atorvastatin: ['statins'],
  pravastatin: ['statins'],
  rosuvastatin: ['statins'],
  simvastatin: ['statins'],
  esomeprazole: ['proton-pump-inhibitors'],
  omeprazole: ['proton-pump-inhibitors'],
  pantoprazole: ['proton-pump-inhibitors'],
  lisinopril: ['ace-inhibitors'],
  ramipril: ['ace-inhibitors'],
  losartan: ['arbs'],
  atenolol: ['beta-blockers'],
  carvedilol: ['beta-blockers'],
  metoprolol: ['beta-blockers'],
  warfarin: ['anticoagulants'],
  rivaroxaban: ['anticoagulants'],
  enoxaparin: ['anticoagulants'],
  dexamethasone: ['systemic-corticosteroids'],
  methylprednisolone: ['systemic-corticosteroids'],
  prednisone: ['systemic-corticosteroids'],
  cetirizine: ['antihistamines'],
  loratadine: ['antihistamines'],
  gabapentin: ['gabapentinoids'],
  pregabalin: ['gabapentinoids'],
};

/** Names that are another name (or a salt) of one ingredient: albuterol is salbutamol. */
const SAME_INGREDIENT: Readonly<Record<string, string>> = {
  albuterol: 'salbutamol',
  'metoprolol succinate': 'metoprolol',
  cephalexin: 'cefalexin',
  acetaminophen: 'paracetamol',
};

/** Lower case, single spaces, no surrounding blanks. */
export function normaliseTerm(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

const ingredientName = (name: string): string => {
  const n = normaliseTerm(name);
  return SAME_INGREDIENT[n] ?? n;
};

/** A medicine's ingredients from its generic name ("Amoxicillin and clavulanate" → two). */
export function ingredientsOf(genericName: string): string[] {
  const parts = normaliseTerm(genericName)
    .split(/ and |\s*\+\s*|\s*\/\s*/)
    .filter((p) => p.length > 0);
  return [...new Set(parts.map(ingredientName))];
}

/** An ingredient's classes, narrowest first (none when the table has none). */
export function classesOfIngredient(ingredient: string): readonly DrugClass[] {
  return INGREDIENT_CLASSES[ingredientName(ingredient)] ?? [];
}

/** The classes of a medicine's ingredients, narrowest first, each once. */
export function classesOf(ingredients: readonly string[]): DrugClass[] {
  return [...new Set(ingredients.flatMap((i) => classesOfIngredient(i)))];
}

export const classLabel = (c: DrugClass): string => DRUG_CLASSES[c].label;

/** What an allergy record's substance names: an ingredient (any word we do not know) or a class. */
export type AllergyTarget =
  | { readonly kind: 'ingredient'; readonly ingredient: string }
  | { readonly kind: 'class'; readonly drugClass: DrugClass };

/**
 * Reads an allergy record's substance ("Penicillin", "Sulfonamide antibiotics", "Amoxicillin").
 * A class's own words win over an ingredient of the same spelling, except that an ingredient the
 * table knows ("penicillin" is both) stays an ingredient, whose classes match anyway.
 */
export function allergyTarget(substance: string): AllergyTarget {
  const term = normaliseTerm(substance);
  const ingredient = ingredientName(term);
  if (INGREDIENT_CLASSES[ingredient] !== undefined || Object.values(SAME_INGREDIENT).includes(ingredient))
    return { kind: 'ingredient', ingredient };
  for (const [id, c] of Object.entries(DRUG_CLASSES) as Array<
    [DrugClass, (typeof DRUG_CLASSES)[DrugClass]]
  >) {
    if (id === term || normaliseTerm(c.label) === term || (c.terms as readonly string[]).includes(term))
      return { kind: 'class', drugClass: id };
  }
  return { kind: 'ingredient', ingredient };
}
