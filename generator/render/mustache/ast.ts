/** A compiled Marathon template, shaped like mustache.java's code list. */
export type TemplateNode = TextNode | ValueNode | SectionNode | BlockNode;

export interface TextNode {
  type: 'text';
  text: string;
}

/** `{{name}}` (escaped: HTML-escaped by the 1.9 engine), `{{{name}}}` or `{{&name}}`. */
export interface ValueNode {
  type: 'value';
  name: string;
  escaped: boolean;
  /** The tag as written, for the identity text handed to lambdas. */
  source: string;
  line: number;
}

/** `{{#name}}...{{/name}}` or, inverted, `{{^name}}...{{/name}}`. */
export interface SectionNode {
  type: 'section';
  name: string;
  inverted: boolean;
  children: TemplateNode[];
  openSource: string;
  closeSource: string;
  line: number;
}

/** `{{$name}}...{{/name}}`: a substitution block; without a parent template it renders its body. */
export interface BlockNode {
  type: 'block';
  name: string;
  children: TemplateNode[];
  openSource: string;
  closeSource: string;
  line: number;
}

export class TemplateCompileError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'TemplateCompileError';
  }
}

/** The text of nodes as mustache.java's `identity` gives it: what a section lambda receives. */
export function identityText(nodes: readonly TemplateNode[]): string {
  let s = '';
  for (const n of nodes) {
    if (n.type === 'text') s += n.text;
    else if (n.type === 'value') s += n.source;
    else s += n.openSource + identityText(n.children) + n.closeSource;
  }
  return s;
}

/** Every name a template looks up, with the section names that enclose it (outermost first). */
export interface NameUse {
  name: string;
  line: number;
  kind: 'value' | 'section' | 'inverted';
  enclosing: string[];
}

export function templateNames(nodes: readonly TemplateNode[], enclosing: string[] = [], out: NameUse[] = []): NameUse[] {
  for (const n of nodes) {
    if (n.type === 'value') out.push({ name: n.name, line: n.line, kind: 'value', enclosing });
    else if (n.type === 'section') {
      out.push({ name: n.name, line: n.line, kind: n.inverted ? 'inverted' : 'section', enclosing });
      templateNames(n.children, [...enclosing, n.name], out);
    } else if (n.type === 'block') templateNames(n.children, enclosing, out);
  }
  return out;
}
