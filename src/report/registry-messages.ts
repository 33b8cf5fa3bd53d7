/**
 * Output shared by the registry commands: refusals and errors as one
 * clear line on stderr (and, with --json, one document on stdout).
 */
import { writeErr, writeOut, writeOutRaw } from "./terminal.js";

/** A refusal or error: `error: <message>` on stderr; with `json`, `{ok:false,error}` on stdout. */
export function printRegistryError(message: string, json: boolean | undefined, detail: Readonly<Record<string, unknown>> = {}): void {
  writeErr(`error: ${message}`);
  if (json) writeOut(JSON.stringify({ ok: false, error: { ...detail, message } }, null, 2));
}

/** A result: the JSON document, or the human line(s). */
export function printRegistryResult(json: boolean | undefined, document: unknown, human: string): void {
  writeOut(json ? JSON.stringify(document, null, 2) : human);
}

/** Raw text on stdout (an exported log), written as is. */
export function writeRegistryText(text: string): void {
  writeOutRaw(text);
}

/** Short digest for tables: the first 8 hex digits. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 8);
}

/** A note on stderr (what a command chose for the user), kept off stdout so --json stays one document. */
export function printRegistryNote(message: string): void {
  writeErr(message);
}
