import { JavaLambda, JavaMap, javaToString, type JavaValue } from '../java/values.js';
import { javaMember, TemplateRenderError } from '../java/reflection.js';
import { TemplateCompileError, identityText, type TemplateNode } from './ast.js';
import { compileTemplate } from './parse.js';

export interface ExecuteOptions {
  /** DC/OS 1.9's engine HTML-escapes `{{x}}`. */
  htmlEscape: boolean;
  /** mustache.java 0.9.1: a dotted name that misses in a scope goes on to the outer scopes. */
  dottedNamesTryOuterScopes: boolean;
}

/** Lambda output that keeps invoking lambdas is a StackOverflowError in the JVM. */
const MAX_LAMBDA_DEPTH = 64;

/** Renders compiled nodes against a root scope the way mustache.java executes its code list. */
export function executeTemplate(nodes: readonly TemplateNode[], root: JavaValue, options: ExecuteOptions): string {
  const out: string[] = [];
  new Executor(options, out).run(nodes, [root], 0);
  return out.join('');
}

type Lookup = { found: true; value: JavaValue } | { found: false };
const MISSING: Lookup = { found: false };

class Executor {
  constructor(
    private readonly options: ExecuteOptions,
    private readonly out: string[],
  ) {}

  run(nodes: readonly TemplateNode[], scopes: JavaValue[], depth: number): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          this.out.push(node.text);
          break;
        case 'value': {
          const v = this.resolve(node.name, scopes, node.line);
          if (v instanceof JavaLambda) {
            this.runLambda(v, null, scopes, depth, node.line);
          } else if (v !== null) {
            const text = javaToString(v);
            this.out.push(node.escaped && this.options.htmlEscape ? htmlEscape(text) : text);
          }
          break;
        }
        case 'block':
          this.run(node.children, scopes, depth);
          break;
        case 'section': {
          const v = this.resolve(node.name, scopes, node.line);
          if (node.inverted) {
            if (isFalsy(v)) this.run(node.children, [...scopes, v], depth);
          } else if (v instanceof JavaLambda) {
            this.runLambda(v, identityText(node.children), scopes, depth, node.line);
          } else if (Array.isArray(v)) {
            for (const item of v) this.run(node.children, [...scopes, item], depth);
          } else if (!isFalsy(v)) {
            this.run(node.children, [...scopes, v], depth);
          }
          break;
        }
      }
    }
  }

  private runLambda(lambda: JavaLambda, text: string | null, scopes: JavaValue[], depth: number, line: number): void {
    if (depth >= MAX_LAMBDA_DEPTH) {
      throw new TemplateRenderError(`'${lambda.name}' output keeps calling '${lambda.name}' (stack overflow in the JVM)`, line);
    }
    const produced = lambda.apply(text);
    let nodes: readonly TemplateNode[];
    try {
      nodes = compileTemplate(produced);
    } catch (e) {
      if (e instanceof TemplateCompileError) {
        throw new TemplateRenderError(`the text '${lambda.name}' returned is not a valid template: ${e.message}`, line);
      }
      throw e;
    }
    this.run(nodes, scopes, depth + 1);
  }

  private resolve(name: string, scopes: readonly JavaValue[], line: number): JavaValue {
    try {
      const r = this.lookup(name, scopes);
      return r.found ? r.value : null;
    } catch (e) {
      if (e instanceof TemplateRenderError && e.line === null) throw new TemplateRenderError(`${e.message} ('${name}')`, line);
      throw e;
    }
  }

  /** mustache.java's ReflectionObjectHandler.find with the scope rules of the engine version. */
  private lookup(name: string, scopes: readonly JavaValue[]): Lookup {
    if (name === '.') return { found: true, value: scopes[scopes.length - 1] as JavaValue };
    const tryOuter = this.options.dottedNamesTryOuterScopes;
    NEXT: for (let i = scopes.length - 1; i >= 0; i--) {
      let scope = scopes[i] as JavaValue;
      if (scope === null) continue;
      if (scope instanceof JavaMap && scope.entries.has(name)) {
        return { found: true, value: scope.entries.get(name) as JavaValue };
      }
      let rest = name;
      let walked = false;
      for (let dot = rest.indexOf('.'); dot !== -1; dot = rest.indexOf('.')) {
        const part = rest.slice(0, dot);
        rest = rest.slice(dot + 1);
        const m = javaMember(scope, part);
        if (!m.found) continue NEXT;
        scope = m.value;
        walked = true;
        if (scope === null) {
          if (tryOuter) continue NEXT;
          return MISSING;
        }
      }
      const m = javaMember(scope, rest);
      if (m.found) return m;
      if (walked && !tryOuter) return MISSING;
    }
    return MISSING;
  }
}

/** mustache.java's falsey check: null, false, "" and empty lists; everything else is truthy. */
function isFalsy(v: JavaValue): boolean {
  return v === null || v === false || v === '' || (Array.isArray(v) && v.length === 0);
}

/** mustache.java 0.9.1's HTML escaping (DC/OS 1.9). */
export function htmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>"'\u0000-\u000d]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&#39;';
      default:
        return `&#${c.charCodeAt(0)};`;
    }
  });
}
