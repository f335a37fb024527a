// util.xml (D-XML): XML to an object. The documented examples fix the main rules: elements
// become keys, text that reads as a number becomes a number, repeated elements become arrays.
// The rest follows org.json's XML.toJSONObject, the usual Java conversion (UNVERIFIED): `true`
// and `false` become booleans, attributes become keys next to child elements, the text of an
// element that also has attributes or children goes under `content`, an empty element is "",
// comments, processing instructions and the declaration are dropped. Malformed XML gives null.

type Value = string | number | boolean | Record<string, unknown> | unknown[];

class XmlError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });
}

/** org.json's stringToValue: booleans and numbers are typed, anything else stays a string. */
function coerce(text: string): Value {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  return text;
}

function add(target: Record<string, unknown>, key: string, value: unknown): void {
  if (!Object.hasOwn(target, key)) target[key] = value;
  else if (Array.isArray(target[key])) (target[key] as unknown[]).push(value);
  else target[key] = [target[key], value];
}

class Parser {
  private i = 0;
  private readonly xml: string;

  constructor(xml: string) {
    this.xml = xml;
  }

  document(): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    this.content(root, undefined);
    return root;
  }

  /** Reads children and text into `target` until `</name>` (or the end for the document). */
  private content(target: Record<string, unknown>, name: string | undefined): void {
    const xml = this.xml;
    let text = '';
    for (;;) {
      if (this.i >= xml.length) {
        if (name !== undefined) throw new XmlError(`element <${name}> is not closed`);
        break;
      }
      if (xml.startsWith('<!--', this.i)) this.skipTo('-->');
      else if (xml.startsWith('<?', this.i)) this.skipTo('?>');
      else if (xml.startsWith('<![CDATA[', this.i)) {
        const end = xml.indexOf(']]>', this.i);
        if (end < 0) throw new XmlError('CDATA section is not closed');
        text += xml.slice(this.i + 9, end);
        this.i = end + 3;
      } else if (xml.startsWith('<!', this.i)) this.skipTo('>');
      else if (xml.startsWith('</', this.i)) {
        const end = xml.indexOf('>', this.i);
        const closing = xml.slice(this.i + 2, end).trim();
        if (end < 0 || closing !== name) throw new XmlError(`unexpected </${closing}>`);
        this.i = end + 1;
        break;
      } else if (xml[this.i] === '<') this.element(target);
      else {
        const next = xml.indexOf('<', this.i);
        const end = next < 0 ? xml.length : next;
        text += decode(xml.slice(this.i, end));
        this.i = end;
      }
    }
    const trimmed = text.trim();
    if (trimmed !== '') {
      if (name === undefined) throw new XmlError('text outside the root element');
      add(target, 'content', coerce(trimmed));
    }
  }

  private element(parent: Record<string, unknown>): void {
    const xml = this.xml;
    const m = /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(this.i));
    if (!m) throw new XmlError(`malformed tag at ${this.i}`);
    const name = m[1]!;
    this.i += m[0].length;
    const node: Record<string, unknown> = {};
    const attribute = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/;
    for (;;) {
      const a = attribute.exec(xml.slice(this.i));
      if (!a) break;
      add(node, a[1]!, coerce(decode(a[3] ?? a[4] ?? '')));
      this.i += a[0].length;
    }
    const close = /^\s*(\/?)>/.exec(xml.slice(this.i));
    if (!close) throw new XmlError(`malformed tag <${name}>`);
    this.i += close[0].length;
    if (!close[1]) this.content(node, name);
    const keys = Object.keys(node);
    if (keys.length === 0) add(parent, name, '');
    else if (keys.length === 1 && keys[0] === 'content') add(parent, name, node.content);
    else add(parent, name, node);
  }

  private skipTo(end: string): void {
    const at = this.xml.indexOf(end, this.i);
    if (at < 0) throw new XmlError(`"${end}" expected`);
    this.i = at + end.length;
  }
}

export function xmlToMap(xml: unknown): Record<string, unknown> | null {
  if (typeof xml !== 'string') return null;
  try {
    return new Parser(xml).document();
  } catch (error) {
    if (error instanceof XmlError) return null;
    throw error;
  }
}

export function createXmlUtils() {
  return {
    toMap: (xml: unknown) => xmlToMap(xml),
    /** With `stringEncode`, the JSON text is itself encoded as a JSON string. UNVERIFIED. */
    toJsonString: (xml: unknown, stringEncode?: unknown): string => {
      const json = JSON.stringify(xmlToMap(xml));
      return stringEncode === true ? JSON.stringify(json) : json;
    },
  };
}
