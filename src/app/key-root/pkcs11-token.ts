import { createHash, timingSafeEqual } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { SealedGcm } from '../../crypto/envelope.js';
import { IntegrityError } from '../../crypto/errors.js';
import { StartupError } from '../startup-error.js';

/** Where the token is and the PIN to log in with (already read from its file). */
export interface TokenSettings {
  readonly module: string;
  readonly token: { readonly slot: number } | { readonly label: string };
  readonly pin: string;
}

type Handle = pkcs11js.Handle;

const TAG_BITS = 128;
const AES_KEY_BYTES = 32;
/** Results that mean "this ciphertext does not authenticate" (SoftHSM2 answers a bad tag with the first). */
const AUTH_FAILURES = new Set([pkcs11js.CKR_GENERAL_ERROR, pkcs11js.CKR_ENCRYPTED_DATA_INVALID]);
const PIN_REFUSED = new Map([
  [pkcs11js.CKR_PIN_INCORRECT, 'refused the PIN (CKR_PIN_INCORRECT)'],
  [pkcs11js.CKR_PIN_LOCKED, 'has locked its PIN after too many wrong tries (CKR_PIN_LOCKED)'],
  [pkcs11js.CKR_PIN_LEN_RANGE, 'refused the PIN: wrong length (CKR_PIN_LEN_RANGE)'],
]);

/**
 * One loaded PKCS#11 library, shared by every token opened from it in this process: a library
 * is initialised once (C_Initialize twice fails), and the login state is per token and process,
 * so a second opening must bring the PIN the first logged in with.
 */
interface Library {
  readonly p11: pkcs11js.PKCS11;
  users: number;
  readonly logins: Map<string, { readonly pinDigest: Buffer; sessions: number }>;
}
const libraries = new Map<string, Library>();

function loadLibrary(module: string): Library {
  const known = libraries.get(module);
  if (known !== undefined) {
    known.users++;
    return known;
  }
  const p11 = new pkcs11js.PKCS11();
  try {
    p11.load(module);
    p11.C_Initialize();
  } catch (err) {
    throw new StartupError(`cannot load the PKCS#11 module ${module}: ${(err as Error).message}`);
  }
  const library: Library = { p11, users: 1, logins: new Map() };
  libraries.set(module, library);
  return library;
}

function releaseLibrary(module: string, library: Library): void {
  if (--library.users > 0) return;
  libraries.delete(module);
  library.p11.C_Finalize();
  library.p11.close();
}

const slotNumber = (slot: Handle): number => Number(Buffer.from(slot).readBigUInt64LE(0));
const pinDigest = (pin: string): Buffer => createHash('sha256').update(pin, 'utf8').digest();
const resultCode = (err: unknown): number | undefined =>
  err instanceof pkcs11js.Pkcs11Error ? err.code : undefined;

/**
 * A logged-in session on one token: finds and makes AES keys that never leave it, and runs
 * AES-256-GCM with them. Calls are synchronous (pkcs11js), so one session serves the process.
 */
export class Pkcs11Token {
  private closed = false;

  private constructor(
    private readonly module: string,
    private readonly library: Library,
    private readonly slotKey: string,
    private readonly session: Handle,
    /** The token's label, for messages. */
    readonly label: string,
  ) {}

  /**
   * Loads the module, finds the token by slot id or label and logs in.
   * @throws StartupError (one line) when the module, slot or token is missing or the PIN is refused.
   */
  static open(settings: TokenSettings): Pkcs11Token {
    const library = loadLibrary(settings.module);
    const { p11 } = library;
    try {
      const slot = findSlot(p11, settings);
      const label = p11.C_GetTokenInfo(slot).label.trim();
      const slotKey = String(slotNumber(slot));
      const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      try {
        login(library, slotKey, session, settings.pin, label);
      } catch (err) {
        p11.C_CloseSession(session);
        throw err;
      }
      return new Pkcs11Token(settings.module, library, slotKey, session, label);
    } catch (err) {
      releaseLibrary(settings.module, library);
      throw err;
    }
  }

  /** The secret keys whose CKA_LABEL or CKA_ID is the one given. */
  findKeys(by: { readonly label: string } | { readonly id: Buffer }): Handle[] {
    const { p11 } = this.library;
    const template: pkcs11js.Template = [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      'label' in by ? { type: pkcs11js.CKA_LABEL, value: by.label } : { type: pkcs11js.CKA_ID, value: by.id },
    ];
    p11.C_FindObjectsInit(this.session, template);
    try {
      return p11.C_FindObjects(this.session, 16);
    } finally {
      p11.C_FindObjectsFinal(this.session);
    }
  }

  /**
   * Generates an AES-256 key on the token that can neither be read (sensitive) nor exported
   * wrapped (not extractable): it encrypts and decrypts, nothing else.
   */
  generateKey(label: string, id: Buffer): Handle {
    return this.library.p11.C_GenerateKey(this.session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE_LEN, value: AES_KEY_BYTES },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_ENCRYPT, value: true },
      { type: pkcs11js.CKA_DECRYPT, value: true },
      { type: pkcs11js.CKA_WRAP, value: false },
      { type: pkcs11js.CKA_UNWRAP, value: false },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_ID, value: id },
    ]);
  }

  /** AES-256-GCM (96-bit nonce, 128-bit tag) under the token key `key`, run inside the module. */
  gcm(key: Handle): SealedGcm {
    const { p11 } = this.library;
    const mechanism = (nonce: Buffer, aad: Buffer): pkcs11js.Mechanism => {
      const parameter: pkcs11js.AesGCM = {
        type: pkcs11js.CK_PARAMS_AES_GCM,
        iv: nonce,
        aad,
        ivBits: nonce.length * 8,
        tagBits: TAG_BITS,
      };
      return { mechanism: pkcs11js.CKM_AES_GCM, parameter };
    };
    return {
      encrypt: (nonce, aad, plaintext) => {
        p11.C_EncryptInit(this.session, mechanism(nonce, aad), key);
        return p11.C_Encrypt(this.session, plaintext, Buffer.alloc(plaintext.length + TAG_BITS / 8));
      },
      decrypt: (nonce, aad, sealed) => {
        p11.C_DecryptInit(this.session, mechanism(nonce, aad), key);
        try {
          return p11.C_Decrypt(this.session, sealed, Buffer.alloc(sealed.length));
        } catch (err) {
          const code = resultCode(err);
          if (code !== undefined && AUTH_FAILURES.has(code))
            throw new IntegrityError('wrapped key authentication');
          throw err;
        }
      },
    };
  }

  /** Logs out (when no other session of this process uses the token) and closes the session. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const { p11, logins } = this.library;
    const login = logins.get(this.slotKey);
    if (login !== undefined && --login.sessions === 0) {
      logins.delete(this.slotKey);
      p11.C_Logout(this.session);
    }
    p11.C_CloseSession(this.session);
    releaseLibrary(this.module, this.library);
  }
}

function findSlot(p11: pkcs11js.PKCS11, settings: TokenSettings): Handle {
  const slots = p11.C_GetSlotList(true);
  const { token } = settings;
  const found =
    'slot' in token
      ? slots.find((slot) => slotNumber(slot) === token.slot)
      : slots.find((slot) => p11.C_GetTokenInfo(slot).label.trim() === token.label);
  if (found === undefined) {
    const wanted =
      'slot' in token ? `slot ${token.slot} with a token in it` : `token labelled "${token.label}"`;
    throw new StartupError(`the PKCS#11 module ${settings.module} has no ${wanted}`);
  }
  return found;
}

/**
 * Logs in as the user. The module keeps one login per token and process, so a second session
 * finds itself already logged in: it must then bring the same PIN, or a wrong PIN would pass.
 */
function login(library: Library, slotKey: string, session: Handle, pin: string, label: string): void {
  const digest = pinDigest(pin);
  const known = library.logins.get(slotKey);
  if (known !== undefined) {
    if (!timingSafeEqual(known.pinDigest, digest))
      throw new StartupError(`PKCS#11 token "${label}" refused the PIN (CKR_PIN_INCORRECT)`);
    known.sessions++;
    return;
  }
  try {
    library.p11.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (err) {
    const refused = PIN_REFUSED.get(resultCode(err) ?? -1);
    if (refused !== undefined) throw new StartupError(`PKCS#11 token "${label}" ${refused}`);
    throw new StartupError(`PKCS#11 token "${label}": login failed (${(err as Error).message})`);
  }
  library.logins.set(slotKey, { pinDigest: digest, sessions: 1 });
}
