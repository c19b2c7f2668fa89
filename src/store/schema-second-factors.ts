/** Second-factor tables (migration 016). Times are epoch milliseconds. */
export interface SecondFactorSchema {
  second_factors: SecondFactorsTable;
  second_factor_pending: SecondFactorPendingTable;
  webauthn_challenges: WebauthnChallengesTable;
}

export interface SecondFactorsTable {
  id: string;
  user_id: string;
  /** 'totp' or 'passkey'. */
  kind: string;
  label: string;
  /** TOTP: the secret, envelope-sealed to (second_factors, id, secret). */
  secret_ct: Buffer | null;
  /** TOTP: the last time step a code was accepted for (never accepted again or before). */
  last_step: number | null;
  /** Passkey: the credential id, base64url. */
  credential_id: string | null;
  /** Passkey: the COSE public key. */
  public_key: Buffer | null;
  /** Passkey: the authenticator's signature counter last seen. */
  sign_count: number | null;
  /** Passkey: JSON array of transports, as the browser reported them. */
  transports: string | null;
  created_at: number;
  /** TOTP: when a first good code confirmed it (null: not usable yet). Passkeys: created_at. */
  confirmed_at: number | null;
  last_used_at: number | null;
}

export interface SecondFactorPendingTable {
  /** SHA-256 of the pending token. */
  token_hash: Buffer;
  user_id: string;
  role: string;
  /** 'verify' (prove a factor) or 'enrol' (policy requires one and the user has none). */
  stage: string;
  /** The lockout counter wrong codes count against (the first factor's). */
  lockout_key: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface WebauthnChallengesTable {
  /** base64url, as in the options sent to the browser. */
  challenge: string;
  user_id: string;
  /** 'register' or 'authenticate'. */
  purpose: string;
  expires_at: number;
}
