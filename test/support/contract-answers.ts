import { isBinary } from '../../src/contract/api/route.js';
import { routeNamed } from '../../src/contract/api/routes.js';
import { checkAnswer, ContractMismatch, responseSchema } from '../../src/contract/client/index.js';

/** A real answer as a test read it: status, parsed JSON body (undefined when empty or not JSON), headers. */
export interface SeenAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

/**
 * What is wrong with one real answer of `route` ("METHOD /path", `{param}` or `:param`) by the
 * contract: an undeclared status, a body off the status's schema, an error code outside the
 * catalogue, a file of an undeclared type. Empty when it fits. Uses the client's own checks
 * (src/contract/client/validate.ts), so the server is held to what the clients will accept.
 */
export function contractProblems(route: string, answer: SeenAnswer): string[] {
  const [method = '', template = ''] = route.split(' ');
  const name = routeNamed(method, template);
  if (name === undefined) return [`${route}: not in the contract's route table`];
  const schema = responseSchema(name, answer.status);
  if (schema === undefined)
    return [`${route} (${name}) answered ${answer.status}, a status it does not declare`];
  if (isBinary(schema)) {
    const type = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const declared = schema.contentTypes as readonly string[];
    return declared.includes(type) ? [] : [`${route} (${name}) answered a file of type "${type}"`];
  }
  try {
    checkAnswer(name, answer.status, answer.body ?? null);
    return [];
  } catch (err) {
    if (err instanceof ContractMismatch) return [err.message];
    throw err;
  }
}
