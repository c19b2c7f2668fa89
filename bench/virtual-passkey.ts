/**
 * An in-process passkey authenticator for benchmarks: an ES256 (P-256) key made with node:crypto,
 * speaking the WebAuthn JSON the browser sends (RegistrationResponseJSON with `none` attestation,
 * AuthenticationResponseJSON), so the server's @simplewebauthn/server verification runs exactly
 * as for Chromium. CBOR through @simplewebauthn's own encoder.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

export class VirtualPasskey {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly credentialId = randomBytes(32);
  private signCount = 0;

  constructor(
    private readonly origin: string,
    private readonly userHandle: string,
  ) {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
    }));
  }

  private get rpIdHash(): Buffer {
    return sha256(new URL(this.origin).hostname);
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }

  private counter(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.signCount);
    return out;
  }

  /** The answer to registration options (challenge): a new credential, user verified. */
  register(challenge: string): RegistrationResponseJSON {
    const jwk = this.publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      this.rpIdHash,
      Buffer.from([FLAG_UP | FLAG_UV | FLAG_AT]),
      this.counter(),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      this.credentialId,
      cose,
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', authData],
      ]),
    );
    return {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', challenge)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    };
  }

  /** An assertion over `challenge`, user present and verified, the counter one further. */
  assert(challenge: string): AuthenticationResponseJSON {
    this.signCount++;
    const authData = Buffer.concat([this.rpIdHash, Buffer.from([FLAG_UP | FLAG_UV]), this.counter()]);
    const clientDataJSON = this.clientData('webauthn.get', challenge);
    // ES256 in WebAuthn is a DER-encoded ECDSA signature over authData ‖ SHA-256(clientDataJSON).
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: b64url(Buffer.from(this.userHandle)),
      },
      clientExtensionResults: {},
    };
  }
}
