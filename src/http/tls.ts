import { readFile } from 'node:fs/promises';
import { ConfigError, type Config } from '../config/config.js';

export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

async function readPem(file: string, setting: 'MEDVAULT_TLS_CERT' | 'MEDVAULT_TLS_KEY'): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch {
    throw new ConfigError(setting, `a readable PEM file (cannot read ${file})`);
  }
}

/**
 * Reads the certificate chain and private key named by the config, for Fastify's `https`
 * option. @throws ConfigError naming the setting whose file cannot be read.
 */
export async function readTlsFiles(tls: NonNullable<Config['tls']>): Promise<TlsFiles> {
  const [cert, key] = await Promise.all([
    readPem(tls.certFile, 'MEDVAULT_TLS_CERT'),
    readPem(tls.keyFile, 'MEDVAULT_TLS_KEY'),
  ]);
  return { cert, key };
}
