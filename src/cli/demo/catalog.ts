import { budgetReset } from './attacks/budget-reset.js';
import { differencing } from './attacks/differencing.js';
import { ledgerTamper } from './attacks/ledger-tamper.js';
import { ledgerTruncation } from './attacks/ledger-truncation.js';
import { noMasterKey } from './attacks/no-master-key.js';
import { idor, pinGuessing, replayedChallenge } from './attacks/online-attacks.js';
import { insiderRegistrar } from './attacks/insider-registrar.js';
import { loneAdmin } from './attacks/lone-admin.js';
import { slowClient } from './attacks/slow-client.js';
import { staffLockoutAbuse } from './attacks/staff-lockout.js';
import { prescriptionForgery } from './attacks/prescription-forgery.js';
import { signingOracle } from './attacks/signing-oracle.js';
import { stolenDatabase } from './attacks/stolen-database.js';
import { swappedCiphertext } from './attacks/swapped-ciphertext.js';
import { tamperedCiphertext } from './attacks/tampered-ciphertext.js';
import type { Attack, Step } from './scenario.js';
import { breakGlassStep } from './steps/break-glass.js';
import { historyStep } from './steps/history-ledger.js';
import { patientReadsStep } from './steps/patient-reads.js';
import { pinRecoveryStep } from './steps/pin-recovery.js';
import { prescriptionStep } from './steps/prescription.js';
import { registerStep } from './steps/register.js';
import { sharingStep } from './steps/sharing.js';
import { staffStep } from './steps/staff.js';
import { statisticsStep } from './steps/statistics.js';
import { writeRecordsStep } from './steps/write-records.js';

/** The walkthrough, in order (step 0 sets up the staff the steps 1–9 need). */
export const STEPS: readonly Step[] = [
  staffStep,
  registerStep,
  writeRecordsStep,
  patientReadsStep,
  pinRecoveryStep,
  sharingStep,
  breakGlassStep,
  prescriptionStep,
  statisticsStep,
  historyStep,
];

/**
 * The attacks, in order. PIN guessing locks the second patient out, so it comes after every
 * attack that uses that patient's session or login; the differencing attack spends the hospital's
 * whole privacy budget, so it comes after the rest, and the budget-reset attack (which spends
 * whatever is left, then tries a freshly minted admin) last.
 */
export const ATTACKS: readonly Attack[] = [
  stolenDatabase,
  noMasterKey,
  tamperedCiphertext,
  swappedCiphertext,
  prescriptionForgery,
  signingOracle,
  ledgerTamper,
  ledgerTruncation,
  idor,
  insiderRegistrar,
  loneAdmin,
  pinGuessing,
  replayedChallenge,
  staffLockoutAbuse,
  slowClient,
  differencing,
  budgetReset,
];

export const ATTACK_IDS = ATTACKS.map((a) => a.id);
