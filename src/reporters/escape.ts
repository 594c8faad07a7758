/**
 * Escaping for the file reporters. Much of a report is text the target sent
 * (violation details, message types, close reasons) or a user typed (URLs),
 * so every renderer passes every string through one of these.
 */

// Characters XML 1.0 forbids outright (C0 controls but tab, LF, CR; lone
// surrogates; U+FFFE/U+FFFF). They are replaced, not escaped: no escape is legal.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe as an HTML element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return String(text)
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Text safe as XML character data or a quoted attribute value; newlines kept in bodies. */
export function escapeXml(text: string, attribute = false): string {
  const s = String(text)
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  // In an attribute, a raw newline would be normalised to a space by parsers.
  return attribute ? s.replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;') : s;
}

/**
 * Text safe in a GitHub-flavoured Markdown table cell: one line, no pipe
 * that ends the cell, no HTML, no link (autolinks included) or emphasis syntax.
 */
export function escapeMarkdownCell(text: string): string {
  return String(text)
    .replace(XML_INVALID, '\uFFFD')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~#!]/g, '\\$&')
    // GFM turns bare URLs into links; an entity for one character keeps them text.
    .replace(/:\/\//g, '&#58;//')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}&#46;`);
}

/**
 * JSON for a `<script type="application/json">` body: `<`, `>` and `&` as
 * \u escapes, so no text inside can close the script element or open a
 * comment, and U+2028/9 escaped for older JS parsers. JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
