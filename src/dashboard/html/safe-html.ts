/**
 * HTML built from string templates, escaped by construction: the `html` tag
 * escapes every interpolated value unless it is already `SafeHtml`, so a
 * release name, a gate's evidence or a reason typed by a person can never
 * become markup. Attribute values must be quoted in the template, as the
 * escaping covers both quote characters.
 */

/** Markup that is already escaped (made by `html` or `raw`). */
export class SafeHtml {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  toString(): string {
    return this.text;
  }
}

/** What a template may interpolate: text (escaped), markup, lists of either, or nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** The template tag. `null`, `undefined` and `false` render as nothing, so `cond && html\`...\`` reads naturally. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** Trusts `text` as markup: only for text this package generated (the style sheet, the script). */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}

/** Joins fragments with a separator (itself escaped unless SafeHtml). */
export function join(values: readonly HtmlValue[], separator: HtmlValue = ""): SafeHtml {
  return new SafeHtml(values.map(render).join(render(separator)));
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * A DOM id from any names: characters outside [A-Za-z0-9-] become `_<hex>_`,
 * so distinct names (`eta:train`, `eta.train`) never share an id and the id
 * needs no escaping in a CSS selector.
 */
export function domId(...parts: readonly string[]): string {
  return parts.map((part) => part.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)).join("--");
}
