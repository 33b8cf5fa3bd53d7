/**
 * The frame of every page sluice writes (the report, the plots page): one
 * self-contained HTML document with its style inline and a content security
 * policy that forbids any fetch, so the file opens the same from disk, mail
 * or CI artifacts, with no server and no network.
 */
import { PAGE_STYLE } from "./page-assets.js";
import { html, raw, type SafeHtml } from "./safe-html.js";

/** Inline style and script only; nothing may be loaded from anywhere. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** A self-contained HTML document: the policy, the inline style sheet, and `body`. */
export function renderDocument(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${title}</title>
<style>${raw(PAGE_STYLE)}</style>
</head>
<body>
${body}
</body>
</html>
`.text;
}
