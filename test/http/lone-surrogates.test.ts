import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsWorld, SAMPLE_RECORDS, type RecordsWorld } from '../records/records-world.js';
import { DIALECTS } from '../support/stores.js';

/**
 * Issue 15, finding 10, from the attacker's side: a JSON body carrying a lone UTF-16 surrogate
 * (the raw escape `\ud800`, which JSON allows and JavaScript parses) is refused at the boundary
 * with 400 naming the field, before any work: no record row, no ledger entry, no budget spent.
 */
describe.each(DIALECTS)('lone surrogates at the boundary (%s)', (dialect) => {
  let w: RecordsWorld;

  beforeAll(async () => {
    w = await recordsWorld(dialect);
  });
  afterAll(async () => {
    await w.dispose();
  });

  const counts = async () => {
    const db = w.server.app.store.db;
    const count = async (table: 'records' | 'ledger_entries' | 'analytics_privacy_spends' | 'search_index') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      records: await count('records'),
      ledger: await count('ledger_entries'),
      spends: await count('analytics_privacy_spends'),
      index: await count('search_index'),
    };
  };

  /** A diagnosis record as raw JSON text, with `title` and `keyword` spliced in unescaped. */
  const rawRecord = (title: string, keyword = 'follow-up') =>
    `{"type":"diagnosis","title":"${title}","body":${JSON.stringify(SAMPLE_RECORDS.diagnosis.body)},` +
    `"keywords":["${keyword}"]}`;

  it.each([
    ['a lone high surrogate in the title', rawRecord('Chest \\ud800 X-ray'), 'body/title'],
    ['a lone low surrogate in the title', rawRecord('\\udc00'), 'body/title'],
    ['a reversed pair in a keyword', rawRecord('Chest X-ray', '\\udc00\\ud800'), 'body/keywords/0'],
  ])('a record with %s: 400 naming the field, nothing written', async (_, raw, field) => {
    const before = await counts();
    const res = await w.call('POST', `/api/v1/patients/${w.a}/records`, { token: w.tokens.doctor, raw });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'invalid_input', message: `${field} must not contain a lone UTF-16 surrogate` },
    });
    expect(await counts()).toEqual(before);
  });

  it('a diagnosis cohort keyword with a lone surrogate: 400 naming the field, no budget spent', async () => {
    const before = await counts();
    const raw =
      '{"metric":"heartRate","aggregate":"mean","epsilon":0.5,' +
      '"cohort":{"kind":"diagnosis","keyword":"pneum\\ud800onia"}}';
    const res = await w.call('POST', '/api/v1/analytics/query', { token: w.tokens.admin, raw });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'invalid_input',
        message: 'body/cohort/keyword must not contain a lone UTF-16 surrogate',
      },
    });
    expect(await counts()).toEqual(before);
  });

  it('a well-formed pair (an emoji written as two escapes) is still text and is stored', async () => {
    const res = await w.call('POST', `/api/v1/patients/${w.a}/records`, {
      token: w.tokens.doctor,
      raw: rawRecord('Chest X-ray \\ud83e\\ude7a'),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const read = await w.call('GET', `/api/v1/records/${String(res.body.id)}`, { token: w.tokens.doctor });
    expect(read.body.title).toBe('Chest X-ray \u{1FA7A}');
  });
});
