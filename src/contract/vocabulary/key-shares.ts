/**
 * A share of a master key split between officers (Shamir), as text an officer keeps on paper or
 * in a password manager: `mvshare1-<set id>-<index>-<share>`. The set id names one split (a
 * re-split makes earlier shares useless); the index is the share's x coordinate (1..255); the
 * share is the 32-byte y values and that coordinate, base64url (44 characters).
 */
export const KEY_SHARE_PATTERN = '^mvshare1-[0-9a-f]{16}-[0-9]{1,3}-[A-Za-z0-9_-]{44}$';
export const KEY_SHARE_PREFIX = 'mvshare1';
/** The longest share text: prefix, set id, a 3-digit index, the share and three dashes. */
export const KEY_SHARE_MAX_LENGTH = 8 + 1 + 16 + 1 + 3 + 1 + 44;
