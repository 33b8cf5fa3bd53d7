/** One-line text for a zod error: "✖ Invalid input: expected boolean, received string → at passed". */
import { z } from "zod";

export function contractMessage(error: z.ZodError): string {
  return z.prettifyError(error).split("\n").map((line) => line.trim()).filter(Boolean).join(" ").replace(/ ✖/g, "; ✖");
}
