/**
 * The UI imports the RFC 8785 serialiser from src/crypto/canonical-json.ts, which it shares with
 * the server. That file also exports `canonicalJsonBytes`, a Node-only helper returning a Buffer
 * that the UI never calls (Vite drops it). This declares just enough of Buffer for the shared
 * file to typecheck under the UI's DOM-only types; ESLint forbids the Buffer global in web/, so
 * no UI code can lean on it. Delete this file once the serialiser lives in src/contract without
 * Node types.
 */
type Buffer = Uint8Array;
declare const Buffer: { from(text: string, encoding: 'utf8'): Buffer };
