/** Domain-separated staff signatures: what server, browser and CLI sign and verify. */
export {
  SIGNING_CONTEXTS,
  keyAddMessage,
  loginMessage,
  prescriptionMessage,
  purposeOf,
  type KeyAddFields,
  type LoginFields,
  type SignedMessage,
  type SigningPurpose,
} from './signed-message.js';
export {
  ChallengeRefused,
  LOGIN_CHALLENGE_TYPE,
  LoginChallengeSchema,
  MAX_ORIGIN_LENGTH,
  loginMessageFor,
  type ChallengeExpectation,
  type LoginChallenge,
} from './login-challenge.js';
