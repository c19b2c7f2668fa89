import type { FastifyInstance } from 'fastify';
import { CosigningWitness, type CosigningWitnessOptions } from '../../src/app/audit/cosigning-witness.js';
import { buildWitnessServer } from '../../src/http/witness-server.js';

/** A standalone witness (`medvault witness serve`) on a free loopback port. */
export interface TestWitness {
  readonly witness: CosigningWitness;
  readonly server: FastifyInstance;
  /** Its URL prefix, as MEDVAULT_WITNESSES names it. */
  readonly url: string;
  /** Its verifier key, as MEDVAULT_WITNESSES names it. */
  readonly key: string;
}

export async function startTestWitness(options: CosigningWitnessOptions): Promise<TestWitness> {
  const witness = CosigningWitness.open(options);
  const server = buildWitnessServer(witness);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  return { witness, server, url, key: witness.verifierKey };
}
