/**
 * Just enough XML 1.0 to write a JUnit report, written once and correct: text and attribute values
 * escaped, characters XML 1.0 forbids dropped (a run's messages carry whatever an AWS error or a
 * process printed: ANSI escapes, NULs, lone surrogates), elements built only from escaped parts.
 */

/** An XML fragment: only this module makes one, so a raw string can never be inserted unescaped. */
export interface Xml {
  readonly xml: string;
  /** Character data: never padded with line breaks, which would change it. */
  readonly isText?: true;
}

/** What XML 1.0's `Char` production excludes: C0 controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF. */
const FORBIDDEN = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
// Tab, LF and CR as references too: a parser normalizes them to spaces in an attribute value otherwise.
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;' };

/** `value` with what XML 1.0 forbids removed: the characters a document may hold at all. */
export const xmlChars = (value: string): string => value.replace(FORBIDDEN, '');

/** Character data: & < > escaped (> too, so `]]>` cannot appear), CR kept as a reference. */
export function xmlText(value: string): string {
  return xmlChars(value).replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]);
}

/** An attribute value for either quote: & < > " ' escaped, tab, LF and CR as references. */
export function xmlAttribute(value: string): string {
  return xmlChars(value).replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]);
}

/** A text node. */
export const text = (value: string): Xml => ({ xml: xmlText(value), isText: true });

const NAME = /^[A-Za-z_][\w.-]*$/;

export type Attributes = Readonly<Record<string, string | number | undefined>>;

/**
 * `<name a="...">children</name>`, or `<name a="..."/>` without children; undefined attributes are
 * left out. Child elements go on lines of their own (for a reader of the file), text stays as it is.
 */
export function element(name: string, attributes: Attributes = {}, children: readonly Xml[] = []): Xml {
  const bad = [name, ...Object.keys(attributes)].find((n) => !NAME.test(n));
  if (bad !== undefined) throw new Error(`not an XML name: ${bad}`);
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttribute(String(value))}"`)
    .join('');
  if (children.length === 0) return { xml: `<${name}${attrs}/>` };
  const breaks = children.some((c) => c.isText) ? '' : '\n';
  return { xml: `<${name}${attrs}>${breaks}${children.map((c) => c.xml).join(breaks)}${breaks}</${name}>` };
}

/** A whole document: the declaration, then the root element. */
export const xmlDocument = (root: Xml): string => `<?xml version="1.0" encoding="UTF-8"?>\n${root.xml}\n`;
