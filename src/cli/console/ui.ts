import { input, password, select } from '@inquirer/prompts';

/**
 * The console's prompts, in one place: arrow-key menus and text fields from @inquirer/prompts.
 * Role modules call these and never the library, so a change of prompt library, or a test
 * double, touches one file.
 */
export interface Choice<T> {
  readonly name: string;
  readonly value: T;
  readonly description?: string;
}

export function choose<T>(message: string, choices: ReadonlyArray<Choice<T>>): Promise<T> {
  return select<T>({ message, choices: choices.map((c) => ({ ...c })), pageSize: 12, loop: false });
}

export function ask(
  message: string,
  options: { validate?: (v: string) => true | string; default?: string } = {},
): Promise<string> {
  return input({
    message,
    ...(options.validate === undefined ? {} : { validate: options.validate }),
    ...(options.default === undefined ? {} : { default: options.default }),
  });
}

/** A hidden field (passwords, PINs): echoed as `*`, never stored beyond the request. */
export function secret(message: string): Promise<string> {
  return password({ message, mask: '*' });
}

/** Prints lines under the current menu. */
export function show(...lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A menu entry that leaves the current menu. */
export const BACK = Symbol('back');
export type Back = typeof BACK;
