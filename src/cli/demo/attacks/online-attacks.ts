import { downloadAttachment, routePath, type MedVaultClient } from '../../../contract/client/index.js';
import { staffLoginBody } from '../../staff-signer.js';
import { describeSeen, seen, settle, type Seen } from '../answers.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import type { DemoWorld } from '../world.js';

/**
 * Online PIN guessing: the attacker knows the second patient's SSN and password (phished) and
 * tries PINs over HTTP. After 5 failures the account locks, so even the right PIN is refused
 * (429) — 10^6 PINs cannot be walked through.
 */
export const pinGuessing: Attack = {
  id: 'pin-guessing',
  title: 'Online PIN guessing with a known SSN and password',
  async run(world: DemoWorld): Promise<AttackResult> {
    const b = world.needPatientB();
    const login = async (pin: string): Promise<Seen> =>
      seen(await world.api.answer('patientLogin', { body: { ssn: b.ssn, pin, password: b.password } }));
    const statuses: number[] = [];
    for (let i = 0; statuses.length < 8; i++) {
      const guess = String((Number(b.pin) + 1 + i * 7919) % 1_000_000).padStart(6, '0');
      if (guess === b.pin) continue;
      const res = await login(guess);
      statuses.push(res.status);
      if (res.status === 200) break;
    }
    const right = await login(b.pin);
    const wrong = statuses.filter((s) => s === 401).length;
    world.say(`8 wrong PINs → ${statuses.join(', ')}`);
    world.say(`then the RIGHT PIN → ${describeSeen(right)} (retry after ${right.retryAfter ?? '?'} s)`);
    return verdictOf([
      [!statuses.includes(200), 'no guess logged in'],
      [wrong <= 5 && statuses.slice(5).every((s) => s === 429), `locked after ${wrong} failures`],
      [right.status === 429, 'even the right PIN refused while locked'],
    ]);
  },
};

/**
 * IDOR: logged in as one patient (and as a doctor whose grant was revoked), the attacker puts
 * another patient's record and patient ids into the URLs. Every answer must be 404 — not 403,
 * which would confirm the record exists — and carry no content.
 */
export const idor: Attack = {
  id: 'idor',
  title: "IDOR: another patient's record ids in the URL",
  async run(world: DemoWorld): Promise<AttackResult> {
    const a = world.needPatient();
    const b = world.needPatientB();
    const r = world.needRecords();
    const second = world.member('doctor2');
    const asB = world.as(b.token);
    const asSecond = world.as(second.token);
    type Try = readonly [who: string, path: string, send: () => Promise<Seen>];
    const getRecord = (api: MedVaultClient, id: string) => async () =>
      seen(await api.answer('getRecord', { params: { id } }));
    const download = { id: r.imagingId, attachmentId: r.attachmentId };
    const tries: Try[] = [
      ['patient B', routePath('getRecord', { id: r.diagnosisId }), getRecord(asB, r.diagnosisId)],
      [
        'patient B',
        routePath('listRecords', { id: a.id }),
        async () => seen(await asB.answer('listRecords', { params: { id: a.id } })),
      ],
      [
        'patient B',
        routePath('getPatient', { id: a.id }),
        async () => seen(await asB.answer('getPatient', { params: { id: a.id } })),
      ],
      [
        'patient B',
        routePath('accessLog', { id: a.id }),
        async () => seen(await asB.answer('accessLog', { params: { id: a.id } })),
      ],
      [
        'patient B',
        routePath('downloadAttachment', download),
        () => settle(() => downloadAttachment(asB, download)),
      ],
      [second.displayName, routePath('getRecord', { id: r.diagnosisId }), getRecord(asSecond, r.diagnosisId)],
      [second.displayName, routePath('getRecord', { id: r.labId }), getRecord(asSecond, r.labId)],
    ];
    const results: Array<readonly [boolean, string]> = [];
    for (const [who, path, send] of tries) {
      const res = await send();
      const leaked = JSON.stringify(res.body ?? '').includes(r.diagnosisText);
      world.say(
        `${who.padEnd(18)} GET ${path.replace(a.id, '<A>').replace(r.diagnosisId, '<A dx>').replace(r.labId, '<A lab>').replace(r.imagingId, '<A x-ray>')} → ${res.status}`,
      );
      results.push([
        res.status === 404 && !leaked,
        `${who} ${path.split('/').slice(3, 4).join('')} → ${res.status}`,
      ]);
    }
    const outcome = verdictOf(results);
    return outcome.defended
      ? { defended: true, detail: `${tries.length} cross-patient requests, all 404 with no content` }
      : outcome;
  },
};

/**
 * A replayed staff login: an eavesdropper captured a doctor's complete login request
 * (password, challenge id and signature) and sends it again. Challenges are single-use and
 * consumed first, so the replay is refused.
 */
export const replayedChallenge: Attack = {
  id: 'replayed-challenge',
  title: 'Replayed staff login: send a captured challenge signature again',
  async run(world: DemoWorld): Promise<AttackResult> {
    const doctor = world.member('doctor');
    const body = await staffLoginBody(world.api, doctor.username, doctor.password, doctor.privateKeyPem);
    const first = seen(await world.api.answer('staffLogin', { body }));
    const replay = seen(await world.api.answer('staffLogin', { body }));
    world.say(`genuine login → ${first.status}; identical request replayed → ${describeSeen(replay)}`);
    const fresh = await world.api.call('staffChallenge', { body: { username: doctor.username } });
    const moved = seen(
      await world.api.answer('staffLogin', { body: { ...body, challengeId: fresh.challengeId } }),
    );
    world.say(`old signature presented for a NEW challenge → ${describeSeen(moved)}`);
    return verdictOf([
      [first.status === 200, 'genuine login works'],
      [replay.status === 401 || replay.status === 403, `replay refused (${replay.status})`],
      [
        moved.status === 401 || moved.status === 403,
        `signature reuse on a new challenge refused (${moved.status})`,
      ],
    ]);
  },
};
