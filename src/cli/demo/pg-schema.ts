import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A URL whose connections use `schema` as their search path (replacing any given one). */
export function urlWithSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** A schema name that is new and safe to interpolate: a fixed prefix and random hex. */
export const freshSchemaName = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex')}`;

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh schema on the PostgreSQL server of `url` and answers a URL that uses it and a
 * function that drops it, so the demo never touches existing data and leaves nothing behind.
 */
export async function createSchema(
  url: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = freshSchemaName(prefix);
  if (!/^[a-z0-9_]+$/.test(schema)) throw new Error('unsafe schema name');
  await adminQuery(url, `create schema ${schema}`);
  return {
    url: urlWithSchema(url, schema),
    drop: () => adminQuery(url, `drop schema if exists ${schema} cascade`),
  };
}
