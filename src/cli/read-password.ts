import { invalidInput } from '../app/errors.js';

/**
 * Reads a password for a command without it ever appearing in argv (visible to every user in
 * `ps`) or on the screen: the first line of standard input when it is piped, or a prompt with
 * echo off when it is a terminal.
 */
export async function readPassword(prompt: string): Promise<string> {
  return process.stdin.isTTY ? promptHidden(prompt) : ((await stdinLines().next()) ?? '');
}

/**
 * Reads one secret line (a key share…) like {@link readPassword}, but several in a row: piped
 * standard input is read line by line, nothing after a line ending is lost, and null means the
 * input ended.
 */
export async function readSecretLine(prompt: string): Promise<string | null> {
  return process.stdin.isTTY ? promptHidden(prompt) : stdinLines().next();
}

/** Lines of a stream, one at a time, buffered between calls. */
export class LineReader {
  private buffer = '';
  private ended = false;
  private waiting: Array<(line: string | null) => void> = [];

  constructor(private readonly stream: NodeJS.ReadableStream) {
    stream.on('data', (chunk: Buffer | string) => {
      this.buffer += chunk.toString();
      this.flush();
    });
    stream.once('end', () => {
      this.ended = true;
      this.flush();
    });
    stream.pause();
  }

  /** The next line without its ending; the rest at the end of input; then null. */
  next(): Promise<string | null> {
    const promise = new Promise<string | null>((resolve) => this.waiting.push(resolve));
    this.flush();
    if (this.waiting.length > 0 && !this.ended) this.stream.resume();
    return promise;
  }

  private flush(): void {
    while (this.waiting.length > 0) {
      const newline = this.buffer.indexOf('\n');
      let line: string | null;
      if (newline !== -1) {
        line = this.buffer.slice(0, newline).replace(/\r$/, '');
        this.buffer = this.buffer.slice(newline + 1);
      } else if (this.ended) {
        line = this.buffer === '' ? null : this.buffer;
        this.buffer = '';
      } else return;
      (this.waiting.shift() as (line: string | null) => void)(line);
    }
    this.stream.pause();
  }
}

let stdin: LineReader | undefined;
const stdinLines = (): LineReader => (stdin ??= new LineReader(process.stdin));

/** Prompts on standard error and reads a line from the terminal in raw mode, echoing nothing. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (err?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(invalidInput('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else text += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
