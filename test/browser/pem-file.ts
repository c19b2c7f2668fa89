import type { KeyObject } from 'node:crypto';

/** A private key as the file a staff member would pick: PKCS#8 PEM, for setInputFiles. */
export function pemFile(privateKey: KeyObject): { name: string; mimeType: string; buffer: Buffer } {
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { name: 'staff-key.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(pem) };
}
