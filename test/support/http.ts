import type { JsonAnswer } from './json-answer.js';

export interface Answer {
  status: number;
  body: JsonAnswer;
  headers: Headers;
}

/** A JSON caller for a live server. */
export function jsonCaller(baseUrl: string) {
  return async (
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; token?: string } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    const parsed: JsonAnswer = text.length > 0 ? JSON.parse(text) : undefined;
    return { status: res.status, body: parsed, headers: res.headers };
  };
}
