/**
 * The code systems and codes the FHIR mapping uses (docs/fhir.md). LOINC codes for the analytes
 * the lab catalogue knows and for the vitals; UCUM units; CVX for the vaccines. An analyte or
 * vaccine not listed keeps its name as text only (a CodeableConcept needs no coding).
 */
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const CVX = 'http://hl7.org/fhir/sid/cvx';
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
export const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
export const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';

/** Our own namespace: record ids and the MedVault details other systems may ignore. */
export const MEDVAULT_NS = 'https://medvault.example.org/fhir';
export const RECORD_ID_SYSTEM = `${MEDVAULT_NS}/record-id`;
export const EXT_RECORD_TITLE = `${MEDVAULT_NS}/StructureDefinition/record-title`;
export const EXT_ALLERGY_SEVERITY = `${MEDVAULT_NS}/StructureDefinition/allergy-severity`;

/** Lab analytes by the name the catalogue gives them: LOINC code and display. */
export const LAB_LOINC: Readonly<Record<string, readonly [string, string]>> = {
  Haemoglobin: ['718-7', 'Hemoglobin [Mass/volume] in Blood'],
  Haematocrit: ['4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count'],
  'White blood cells': ['6690-2', 'Leukocytes [#/volume] in Blood by Automated count'],
  Platelets: ['777-3', 'Platelets [#/volume] in Blood by Automated count'],
  'Mean corpuscular volume': ['787-2', 'MCV [Entitic volume] by Automated count'],
  Sodium: ['2951-2', 'Sodium [Moles/volume] in Serum or Plasma'],
  Potassium: ['2823-3', 'Potassium [Moles/volume] in Serum or Plasma'],
  Chloride: ['2075-0', 'Chloride [Moles/volume] in Serum or Plasma'],
  Bicarbonate: ['1963-8', 'Bicarbonate [Moles/volume] in Serum or Plasma'],
  'Urea nitrogen': ['3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma'],
  Creatinine: ['2160-0', 'Creatinine [Mass/volume] in Serum or Plasma'],
  'Glucose, fasting': ['1558-6', 'Fasting glucose [Mass/volume] in Serum or Plasma'],
  Calcium: ['17861-6', 'Calcium [Mass/volume] in Serum or Plasma'],
  'Total cholesterol': ['2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma'],
  'HDL cholesterol': ['2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma'],
  'LDL cholesterol': ['13457-7', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation'],
  Triglycerides: ['2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma'],
  'Haemoglobin A1c': ['4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'],
  'Thyroid-stimulating hormone': ['3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma'],
  'Free thyroxine (T4)': ['3024-7', 'Thyroxine (T4) free [Mass/volume] in Serum or Plasma'],
  'Alanine aminotransferase (ALT)': [
    '1742-6',
    'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
  ],
  'Aspartate aminotransferase (AST)': [
    '1920-8',
    'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
  ],
  'Alkaline phosphatase': ['6768-6', 'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma'],
  'Bilirubin, total': ['1975-2', 'Bilirubin.total [Mass/volume] in Serum or Plasma'],
  Albumin: ['1751-7', 'Albumin [Mass/volume] in Serum or Plasma'],
  Ferritin: ['2276-4', 'Ferritin [Mass/volume] in Serum or Plasma'],
  'Serum iron': ['2498-4', 'Iron [Mass/volume] in Serum or Plasma'],
  'Transferrin saturation': ['2502-3', 'Iron saturation [Mass Fraction] in Serum or Plasma'],
  '25-hydroxyvitamin D': ['62292-8', '25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma'],
  'Uric acid': ['3084-1', 'Urate [Mass/volume] in Serum or Plasma'],
  eGFR: [
    '62238-1',
    'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)',
  ],
};

/** Our unit strings → UCUM codes (a unit not listed is sent as text only). */
export const UCUM_CODES: Readonly<Record<string, string>> = {
  'g/dL': 'g/dL',
  '%': '%',
  '10^9/L': '10*9/L',
  fL: 'fL',
  'mmol/L': 'mmol/L',
  'mg/dL': 'mg/dL',
  'U/L': 'U/L',
  'mIU/L': 'm[IU]/L',
  'ng/dL': 'ng/dL',
  'ng/mL': 'ng/mL',
  'ug/dL': 'ug/dL',
  'mL/min/1.73m2': 'mL/min/{1.73_m2}',
  bpm: '/min',
  mmHg: 'mm[Hg]',
  kg: 'kg',
  '°C': 'Cel',
};

/** The vitals (vital-metrics.ts keys) with their LOINC code and profile (FHIR R4 vital signs). */
export const VITAL_CODES = {
  heartRate: { loinc: '8867-4', display: 'Heart rate', profile: 'heartrate', suffix: 'hr' },
  weight: { loinc: '29463-7', display: 'Body weight', profile: 'bodyweight', suffix: 'wt' },
  temperature: { loinc: '8310-5', display: 'Body temperature', profile: 'bodytemp', suffix: 'temp' },
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure', profile: 'vitalsigns', suffix: 'sys' },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure', profile: 'vitalsigns', suffix: 'dia' },
  glucose: { loinc: '2339-0', display: 'Glucose [Mass/volume] in Blood', profile: null, suffix: 'glu' },
} as const;
export const BLOOD_PRESSURE = {
  loinc: '85354-9',
  display: 'Blood pressure panel with all children optional',
  suffix: 'bp',
};
export const VITALS_PROFILE = (name: string): string => `http://hl7.org/fhir/StructureDefinition/${name}`;

/** Vaccines by the name the catalogue gives them: CVX code and display. */
export const VACCINE_CVX: Readonly<Record<string, readonly [string, string]>> = {
  'Influenza, quadrivalent (seasonal)': ['150', 'Influenza, injectable, quadrivalent, preservative free'],
  'COVID-19 mRNA': ['213', 'SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED FORMULATION'],
  'Tetanus, diphtheria and acellular pertussis (Tdap)': ['115', 'Tdap'],
  'Hepatitis B': ['45', 'Hep B, unspecified formulation'],
  'Measles, mumps and rubella (MMR)': ['03', 'MMR'],
  Varicella: ['21', 'varicella'],
  'Pneumococcal conjugate (PCV20)': [
    '216',
    'Pneumococcal conjugate PCV20, polysaccharide CRM197 conjugate, adjuvant, PF',
  ],
  'Recombinant zoster (shingles)': ['187', 'zoster vaccine recombinant'],
  'Human papillomavirus (9-valent)': ['165', 'HPV9'],
};

/** DICOM's controlled terminology: acquisition modalities (ImagingStudy.modality, series.modality). */
export const DICOM_DCM = 'http://dicom.nema.org/resources/ontology/DCM';
/** Our imaging modalities (record-types.ts) as DICOM modality codes; X-ray is digital radiography. */
export const MODALITY_DCM: Readonly<Record<string, readonly [string, string]>> = {
  'X-ray': ['DX', 'Digital Radiography'],
  CT: ['CT', 'Computed Tomography'],
  MRI: ['MR', 'Magnetic Resonance'],
  Ultrasound: ['US', 'Ultrasound'],
  Mammography: ['MG', 'Mammography'],
  PET: ['PT', 'Positron emission tomography'],
  Other: ['OT', 'Other'],
};
/** Back from DICOM: computed radiography is an X-ray too. */
export const MODALITY_OF_DCM: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(MODALITY_DCM).map(([ours, [dcm]]) => [dcm, ours])),
  CR: 'X-ray',
};
/** LOINC "Diagnostic imaging study" (the report's code; the modality and body part are in its text). */
export const IMAGING_REPORT_LOINC = ['18748-4', 'Diagnostic imaging study'] as const;
/** DICOM SOP class of an image that is a picture, not a native DICOM object: Secondary Capture. */
export const SECONDARY_CAPTURE_SOP = '1.2.840.10008.5.1.4.1.1.7';
/** SOP classes are URIs of the urn:oid form (R4 ImagingStudy.series.instance.sopClass). */
export const URI_SYSTEM = 'urn:ietf:rfc:3986';
