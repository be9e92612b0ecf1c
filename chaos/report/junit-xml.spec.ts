import { parseXml } from '@imagery/testing/chaos/parse-xml';
import { element, text, xmlAttribute, xmlChars, xmlDocument, xmlText } from './junit-xml';

/** Everything that breaks a naive writer: markup, both quotes, entities, controls, CR, lone surrogates, U+FFFE. */
const NASTY =
  'a < b && c > d "q" \'s\' ]]> <![CDATA[x]]> &amp; &#0; \u0000\u0001\u0008\u000b\u000c\u001b[31mred\u001b[0m ' +
  'tab\there\r\nline2 \ud800 lone \udfff low \ufffe\uffff emoji 😀 é ß 日本';
/** The same as a parser must give it back: forbidden characters gone, everything else exact. */
const KEPT = 'a < b && c > d "q" \'s\' ]]> <![CDATA[x]]> &amp; &#0; [31mred[0m ' + 'tab\there\r\nline2  lone  low  emoji 😀 é ß 日本';

describe('XML 1.0 for the JUnit report', () => {
  it('drops exactly the characters XML 1.0 forbids and keeps every other one', () => {
    expect(xmlChars(NASTY)).toBe(KEPT);
    expect(xmlChars('\t\n\r \ud7ff\ue000\ufffd\u{10000}\u{10ffff}')).toBe('\t\n\r \ud7ff\ue000\ufffd\u{10000}\u{10ffff}');
  });

  it('escapes markup in text, and quotes and whitespace in attribute values too', () => {
    expect(xmlText('<a> & ]]> "\'\r\n')).toBe('&lt;a&gt; &amp; ]]&gt; "\'&#13;\n');
    expect(xmlAttribute('<a> & "x" \'y\'\t\r\n')).toBe('&lt;a&gt; &amp; &quot;x&quot; &apos;y&apos;&#9;&#13;&#10;');
  });

  it('writes a document a strict parser reads back exactly: attribute values and text alike', () => {
    const doc = xmlDocument(
      element('root', { value: NASTY, gone: undefined }, [element('child', { n: 1 }, [text(NASTY)]), element('empty')]),
    );
    const root = parseXml(doc);
    expect(root.tag).toBe('root');
    expect(root.attributes).toEqual({ value: KEPT });
    expect(root.children.map((c) => c.tag)).toEqual(['child', 'empty']);
    expect(root.children[0]).toMatchObject({ attributes: { n: '1' }, text: KEPT });
  });

  it('refuses a name that is not an XML name, so markup cannot come in through one', () => {
    expect(() => element('a b')).toThrow('not an XML name: a b');
    expect(() => element('a', { 'x="1" y': 'v' })).toThrow('not an XML name');
  });

  it('is what a strict parser rejects without it (the check can fail)', () => {
    expect(() => parseXml(`<root a="${NASTY}"/>`)).toThrow(/not well-formed/);
    expect(() => parseXml(`<root>${'\u0001'}</root>`)).toThrow(/not well-formed/);
  });
});
