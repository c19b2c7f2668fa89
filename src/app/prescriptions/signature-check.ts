import { prescriptionMessage } from '../../contract/signing/index.js';

/**
 * What a prescription signature is worth: `valid` over the prescription message (the context line
 * `MedVault prescription v1` and the canonical payload, src/contract/signing), `legacy` when it
 * verifies only over the bare canonical payload, `invalid` otherwise.
 *
 * Decision (issue 15, finding 1): a legacy signature is NEVER accepted — not at submission, not
 * at dispense, not by `rx verify`. Before domain separation a compromised server could obtain
 * exactly such a signature by sending the payload as a login challenge, so one proves nothing
 * about what the doctor meant to sign, and no migration can tell the honest ones apart. It is
 * recognised only so the refusal can say why (re-sign the prescription) instead of calling it
 * forged.
 */
export type SignatureVerdict = 'valid' | 'legacy' | 'invalid';

export function prescriptionSignatureVerdict(
  verify: (message: Uint8Array, signatureB64: string) => boolean,
  canonicalPayload: string,
  signatureB64: string,
): SignatureVerdict {
  if (verify(prescriptionMessage(canonicalPayload), signatureB64)) return 'valid';
  // Checked only after the real check failed, to explain the refusal; never a pass.
  if (verify(new TextEncoder().encode(canonicalPayload), signatureB64)) return 'legacy';
  return 'invalid';
}
