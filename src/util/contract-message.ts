/**
 * One line of text for a failed contract check, such as
 * "✖ Invalid input: expected boolean, received string → at passed".
 * Built from the issues themselves so the engine never loads zod at run
 * time for pipelines that declare no json outputs.
 */
import type { z } from "zod";
import { printable } from "./printable.js";

export function contractMessage(error: z.ZodError): string {
  const text = error.issues
    .map((issue) => `✖ ${issue.message}${issue.path.length > 0 ? ` → at ${issue.path.map(String).join(".")}` : ""}`)
    .join("; ");
  // Issues quote the checked value's keys, which may hold line breaks.
  return printable(text);
}
