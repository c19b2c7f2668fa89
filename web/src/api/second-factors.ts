/** Second factors (issue 14): the sign-in's second step and the user's own factors. */
import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { api, type RouteInput, type RouteOutput } from './client.js';
import type { SessionUser } from './auth.js';

export type TotpSetup = RouteOutput<'beginTotp'>;
export type FactorList = RouteOutput<'listFactors'>;

const creation = (o: { readonly options: unknown }) => o.options as PublicKeyCredentialCreationOptionsJSON;
/** The browser's transports are free strings; the contract lists the known ones (the server checks). */
type Registration = RouteInput<'registerPasskey'>['body']['response'];
const request = (o: { readonly options: unknown }) => o.options as PublicKeyCredentialRequestOptionsJSON;

export async function signInWithCode(pendingToken: string, code: string): Promise<SessionUser> {
  return (await api.call('secondFactorTotp', { body: { pendingToken, code } })).user;
}

export async function signInWithPasskey(pendingToken: string): Promise<SessionUser> {
  const options = await api.call('secondFactorPasskeyOptions', { body: { pendingToken } });
  const response = await startAuthentication({ optionsJSON: request(options) });
  return (await api.call('secondFactorPasskey', { body: { pendingToken, response } })).user;
}

export async function enrolTotpAtSignIn(pendingToken: string): Promise<TotpSetup> {
  return api.call('enrolTotp', { body: { pendingToken } });
}

export async function confirmTotpAtSignIn(
  pendingToken: string,
  factorId: string,
  code: string,
): Promise<SessionUser> {
  return (await api.call('enrolTotpConfirm', { body: { pendingToken, factorId, code } })).user;
}

export async function enrolPasskeyAtSignIn(pendingToken: string): Promise<SessionUser> {
  const options = await api.call('enrolPasskeyOptions', { body: { pendingToken } });
  const response = await startRegistration({ optionsJSON: creation(options) });
  return (await api.call('enrolPasskey', { body: { pendingToken, response: response as Registration } }))
    .user;
}

export async function listFactors(): Promise<FactorList> {
  return api.call('listFactors');
}

export async function beginTotp(): Promise<TotpSetup> {
  return api.call('beginTotp', { body: {} });
}

export async function confirmTotp(factorId: string, code: string): Promise<void> {
  await api.call('confirmTotp', { params: { id: factorId }, body: { code } });
}

export async function addPasskey(label: string): Promise<void> {
  const options = await api.call('passkeyRegistrationOptions');
  const response = await startRegistration({ optionsJSON: creation(options) });
  await api.call('registerPasskey', { body: { response: response as Registration, label } });
}

export async function removeFactor(id: string): Promise<void> {
  await api.call('removeFactor', { params: { id } });
}
