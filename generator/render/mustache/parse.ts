import { positionAt } from '../../json/parse.js';
import { TemplateCompileError, type TemplateNode } from './ast.js';

/**
 * Compiles a template exactly as mustache.java's MustacheParser (0.9.x, legacy whitespace mode)
 * does, because the whitespace it keeps or drops around tags is part of the rendered app:
 * - a line holding only a section open or close tag (and blanks) disappears, CRLF included;
 * - comments, values and delimiter changes never make a line disappear;
 * - delimiter changes are local to the section they are written in;
 * - partials (`{{>x}}`) and parents (`{{<x}}`) cannot be resolved: compile errors.
 */
export function compileTemplate(text: string): readonly TemplateNode[] {
  let nodes = compiled.get(text);
  if (nodes === undefined) {
    nodes = new TemplateParser(text).compile(null, '{{', '}}', 0);
    // The same template is rendered for several DC/OS versions and option sets.
    if (compiled.size >= 256) compiled.clear();
    compiled.set(text, nodes);
  }
  return nodes;
}

const compiled = new Map<string, readonly TemplateNode[]>();

/** Java's String.trim(): strips code units <= U+0020 only. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  return s.slice(start, end);
}

const BLANKS = /^[ \t]*$/;

class TemplateParser {
  private pos = 0;
  /** mustache.java's currentLine: 0 until the top level starts, then 1-based. */
  private currentLine = 0;

  constructor(private readonly text: string) {}

  private error(message: string, at: number): never {
    const p = positionAt(this.text, Math.min(at, this.text.length));
    throw new TemplateCompileError(message, p.line, p.column);
  }

  compile(tag: string | null, sm: string, em: string, tagStart: number): TemplateNode[] {
    const t = this.text;
    const nodes: TemplateNode[] = [];
    let onlywhitespace = true;
    // Right after a section open tag, a line with nothing but blanks does not keep its newline.
    let iterable = this.currentLine !== 0;
    if (this.currentLine === 0) this.currentLine = 1;
    let out = '';
    let sawCR = false;
    const write = (): void => {
      if (out.length > 0) {
        const last = nodes[nodes.length - 1];
        if (last !== undefined && last.type === 'text') last.text += out;
        else nodes.push({ type: 'text', text: out });
      }
      out = '';
    };

    let stop = sm.charCodeAt(0);
    while (this.pos < t.length) {
      // Ordinary characters in bulk: only line ends and the start delimiter need attention.
      let end = this.pos;
      for (let ch = t.charCodeAt(end); end < t.length && ch !== 10 && ch !== 13 && ch !== stop; ch = t.charCodeAt(++end));
      if (end > this.pos) {
        const run = t.slice(this.pos, end);
        out += run;
        if (onlywhitespace && !BLANKS.test(run)) onlywhitespace = false;
        sawCR = false;
        this.pos = end;
        continue;
      }
      const c = t[this.pos++] as string;
      if (c === '\r') {
        sawCR = true;
        continue;
      }
      if (c === '\n') {
        this.currentLine++;
        if (!iterable || !onlywhitespace) out += sawCR ? '\r\n' : '\n';
        write();
        iterable = false;
        onlywhitespace = true;
        sawCR = false;
        continue;
      }
      sawCR = false;
      if (c === sm[0]) {
        const afterFirst = this.pos;
        if (sm.length === 1 || t[this.pos++] === sm[1]) {
          const start = afterFirst - 1;
          // mustache.java reads up to the first occurrence of the end delimiter.
          const close = t.indexOf(em, this.pos);
          if (close === -1) this.error(`unclosed tag '${sm}${t.slice(this.pos, this.pos + 30)}': expected '${em}'`, start);
          const command = t.slice(this.pos, close);
          this.pos = close + em.length;
          if (command.length === 0) this.error(`empty tag '${sm}${em}'`, start);
          const ch = command[0] as string;
          const variable = javaTrim(command.slice(1));
          const line = this.currentLine;
          switch (ch) {
            case '#':
            case '^':
            case '<':
            case '$': {
              if (ch === '<') this.error(`cannot resolve parent template '${variable}' (${sm}<${variable}${em}): Cosmos templates have no partials`, start);
              const openSource = t.slice(start, this.pos);
              const children = this.compile(variable, sm, em, start);
              const closeSource = this.lastCloseSource;
              const lines = this.currentLine - line;
              if (!onlywhitespace || lines === 0) write();
              out = '';
              if (ch === '$') nodes.push({ type: 'block', name: variable, children, openSource, closeSource, line });
              else nodes.push({ type: 'section', name: variable, inverted: ch === '^', children, openSource, closeSource, line });
              iterable = lines !== 0;
              break;
            }
            case '/': {
              if (!onlywhitespace) write();
              if (variable !== tag) {
                if (tag === null) this.error(`closing tag '${sm}/${variable}${em}' without an open section`, start);
                this.error(`mismatched tags: section '${tag}' is closed by '${sm}/${variable}${em}'`, start);
              }
              this.lastCloseSource = t.slice(start, this.pos);
              return nodes;
            }
            case '>':
              this.error(`cannot resolve partial '${variable}' (${sm}>${variable}${em}): Cosmos templates have no partials`, start);
            // falls through (error never returns)
            case '{': {
              write();
              let name = variable;
              if (em.length < 2) this.error(`'${sm}{' cannot be closed with the one-character delimiter '${em}'`, start);
              if (em[1] !== '}') {
                name = variable.slice(0, -1);
              } else if (t[this.pos++] !== '}') {
                this.error(`improperly closed variable '${sm}${command}${em}': expected '}'`, start);
              }
              nodes.push({ type: 'value', name, escaped: false, source: t.slice(start, this.pos), line });
              break;
            }
            case '&':
              write();
              nodes.push({ type: 'value', name: variable, escaped: false, source: t.slice(start, this.pos), line });
              break;
            case '%':
              // Pragmas are ignored; blanks before one stay pending, as in mustache.java.
              if (!onlywhitespace) write();
              break;
            case '!':
              write();
              break;
            case '=': {
              write();
              const delimiters = command.replace(/\s+/g, '');
              const length = delimiters.length;
              if (length > 6 || length % 2 !== 0) this.error(`invalid delimiter string '${command}'`, start);
              sm = delimiters.slice(1, length / 2);
              em = delimiters.slice(length / 2, length - 1);
              if (sm.length === 0 || em.length === 0) this.error(`invalid delimiter string '${command}'`, start);
              stop = sm.charCodeAt(0);
              break;
            }
            default:
              write();
              nodes.push({ type: 'value', name: javaTrim(command), escaped: true, source: t.slice(start, this.pos), line });
          }
          continue;
        }
        this.pos = afterFirst;
      }
      onlywhitespace = onlywhitespace && (c === ' ' || c === '\t');
      out += c;
    }
    write();
    if (tag !== null) this.error(`section '${tag}' is never closed`, tagStart);
    return nodes;
  }

  private lastCloseSource = '';
}
