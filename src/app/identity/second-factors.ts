import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { SecondFactorPolicy } from '../../contract/vocabulary/second-factors.js';
import type { AccessScope } from '../access/index.js';
import type { FactorEnrolment, FactorView, TotpSetup } from './factor-enrolment.js';
import type { CreationOptions } from './passkeys.js';

/** The caller's own second factors and the policy of their role. */
export interface FactorList {
  readonly policy: SecondFactorPolicy;
  readonly factors: readonly FactorView[];
}

/**
 * What every signed-in user may do with their OWN second factors (the account page's Security
 * section): list them, add a TOTP app or a passkey, remove one. Nobody manages another's.
 */
export class SecondFactors {
  constructor(private readonly core: FactorEnrolment) {}

  async list(scope: AccessScope): Promise<FactorList> {
    return { policy: await this.core.policyOf(scope.actor), factors: await this.core.list(scope.actor) };
  }

  beginTotp(scope: AccessScope, label?: string): Promise<TotpSetup> {
    return this.core.beginTotp(scope.actor, label);
  }

  confirmTotp(scope: AccessScope, factorId: string, code: string): Promise<FactorView> {
    return this.core.confirmTotp(scope.actor, factorId, code);
  }

  passkeyOptions(scope: AccessScope, origin: string): Promise<CreationOptions> {
    return this.core.passkeyRegistration(scope.actor, origin);
  }

  registerPasskey(
    scope: AccessScope,
    origin: string,
    response: RegistrationResponseJSON,
    label?: string,
  ): Promise<FactorView> {
    return this.core.registerPasskey(scope.actor, origin, response, label);
  }

  remove(scope: AccessScope, factorId: string): Promise<void> {
    return this.core.remove(scope.actor, factorId);
  }
}
