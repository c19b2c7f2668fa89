import { KEY_SHARE_PREFIX, KEY_SHARE_PATTERN } from '../../contract/vocabulary/key-shares.js';
import { invalidInput } from '../errors.js';

/** Bytes of one share: the 32 bytes of y values, then the x coordinate (the share's index). */
export const SHARE_BYTES = 33;
const SHARE_RE = new RegExp(KEY_SHARE_PATTERN);

export interface KeyShare {
  /** The split this share belongs to. */
  readonly setId: string;
  /** 1..255, the share's x coordinate: how the share is named in messages. */
  readonly index: number;
  readonly bytes: Uint8Array;
}

/** The text an officer keeps: `mvshare1-<set id>-<index>-<base64url share>`. */
export function formatShare(setId: string, bytes: Uint8Array): string {
  const index = bytes[SHARE_BYTES - 1] as number;
  return `${KEY_SHARE_PREFIX}-${setId}-${index}-${Buffer.from(bytes).toString('base64url')}`;
}

/**
 * Reads a share typed or pasted by an officer (surrounding blanks ignored).
 * @throws AppError invalid_input when it is not a share's text, or its index disagrees with its bytes.
 */
export function parseShare(text: string): KeyShare {
  const trimmed = text.trim();
  if (!SHARE_RE.test(trimmed)) throw invalidInput('That is not a MedVault key share (mvshare1-…).');
  // The share's base64url may itself hold dashes: split off the first three fields only.
  const [, setId, index] = trimmed.split('-', 3) as [string, string, string];
  const body = trimmed.slice(KEY_SHARE_PREFIX.length + setId.length + index.length + 3);
  const bytes = Buffer.from(body, 'base64url');
  const n = Number(index);
  if (bytes.length !== SHARE_BYTES || bytes[SHARE_BYTES - 1] !== n || n < 1 || n > 255)
    throw invalidInput(`Share ${index} is damaged: its index does not match its contents.`);
  return { setId, index: n, bytes: new Uint8Array(bytes) };
}
