import { execFileSync } from 'node:child_process';

/** An element as a strict parser read it: entities and character references decoded. */
export interface XmlNode {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The text before the first child element. */
  readonly text: string;
  readonly children: readonly XmlNode[];
}

// ElementTree on expat: a strict XML 1.0 parser (a forbidden character, a raw `<` or `&`, an
// unclosed tag is an error), the one CI's JUnit summary (.github/scripts/junit-summary.py) reads with too.
const PARSE = `
import json, sys, xml.etree.ElementTree as ET
def node(e): return {"tag": e.tag, "attributes": dict(e.attrib), "text": e.text or "", "children": [node(c) for c in e]}
try:
    print(json.dumps(node(ET.fromstring(sys.stdin.buffer.read()))))
except ET.ParseError as error:
    sys.exit(f"not well-formed XML: {error}")
`;

/** Parses a whole XML document, or throws with the parser's message and position. */
export function parseXml(xml: string): XmlNode {
  return JSON.parse(execFileSync('python3', ['-c', PARSE], { input: xml, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })) as XmlNode;
}

/** The children of `node` with that tag. */
export const childrenNamed = (node: XmlNode, tag: string): XmlNode[] => node.children.filter((c) => c.tag === tag);
