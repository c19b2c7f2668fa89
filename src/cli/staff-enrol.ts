import { createPublicKey } from 'node:crypto';
import type { MedVaultClient } from '../contract/client/index.js';
import { keyAddMessage } from '../contract/signing/index.js';
import { generateSigningKeyPairAsync, type SigningKeyPair } from '../crypto/signature.js';
import { signWithKey } from './staff-signer.js';

/** What enrolling answered, with the private key that stayed here. */
export interface Enrolled {
  readonly userId: string;
  readonly username: string;
  readonly role: string;
  readonly keyId: string;
  readonly active: boolean;
  /** PKCS#8 PEM, made in this process; the server saw only its public half. */
  readonly privateKeyPem: string;
}

/**
 * Enrols a staff account with an invite code from this process (the CLI, the demo): the key pair
 * is made here and only its public half is sent with the password the person chose — what the
 * browser's accept-invite page does with WebCrypto.
 */
export async function enrolWithInvite(
  api: MedVaultClient,
  inviteCode: string,
  password: string,
  algorithm: 'ed25519' | 'rsa' = 'ed25519',
): Promise<Enrolled> {
  const pair: SigningKeyPair = await generateSigningKeyPairAsync(
    algorithm === 'rsa' ? 'rsa-pkcs1-sha256' : 'ed25519',
  );
  const answer = await api.call('enrolStaff', {
    body: { inviteCode, password, publicKeyPem: pair.publicKeyPem },
  });
  return { ...answer, privateKeyPem: pair.privateKeyPem };
}

/**
 * The body that adds `newPublicKeyPem` to the caller's own account: signed by a current key
 * (`signerPem`, whose id is `signerKeyId`) over the domain-separated key-add message.
 */
export function ownKeyBody(
  username: string,
  newPublicKeyPem: string,
  signer: { readonly keyId: string; readonly privateKeyPem: string },
  revokeSigner = false,
): { publicKeyPem: string; signedBy: string; signature: string; revokeSigner: boolean } {
  const spki = createPublicKey(newPublicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    publicKeyPem: newPublicKeyPem,
    signedBy: signer.keyId,
    signature: signWithKey(signer.privateKeyPem, keyAddMessage({ username, publicKeySpki: spki })),
    revokeSigner,
  };
}
