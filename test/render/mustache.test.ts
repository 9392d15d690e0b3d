import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseJson } from '../../generator/json/parse.js';
import type { JsonObject } from '../../generator/json/value.js';
import { renderEra, type DcosVersion } from '../../generator/render/eras.js';
import { jsonToJava } from '../../generator/render/java/values.js';
import { TemplateCompileError, templateNames } from '../../generator/render/mustache/ast.js';
import { executeTemplate } from '../../generator/render/mustache/execute.js';
import { compileTemplate } from '../../generator/render/mustache/parse.js';
import { TemplateRenderError } from '../../generator/render/java/reflection.js';

function render(template: string, context: string, version: DcosVersion = '2.0'): string {
  const era = renderEra(version);
  const root = jsonToJava(parseJson(context).value as JsonObject, era);
  return executeTemplate(compileTemplate(template), root, { htmlEscape: era.htmlEscape, dottedNamesTryOuterScopes: era.dottedNamesTryOuterScopes });
}

function compileError(template: string): TemplateCompileError {
  try {
    compileTemplate(template);
  } catch (e) {
    if (e instanceof TemplateCompileError) return e;
    throw e;
  }
  assert.fail(`expected a compile error for ${JSON.stringify(template)}`);
}

describe('mustache.java whitespace rules', () => {
  it('drops lines that hold only a section tag, keeps inline whitespace', () => {
    assert.equal(render('a\n  {{#t}}\n  b\n  {{/t}}\nc\n', '{"t": true}'), 'a\n  b\nc\n');
    assert.equal(render('x {{#t}} y {{/t}} z', '{"t": true}'), 'x  y  z');
  });
  it('keeps the line of a comment or a value alone on it', () => {
    assert.equal(render('a\n  {{! note }}\nb', '{}'), 'a\n  \nb');
    assert.equal(render('a\n{{v}}\nb', '{"v": 1}'), 'a\n1\nb');
  });
  it('keeps CRLF line ends on kept lines and removes them with section lines', () => {
    assert.equal(render('a\r\n{{#t}}\r\nb\r\n{{/t}}\r\n', '{"t": true}'), 'a\r\nb\r\n');
  });
  it('a value right after a section tag on its line loses the newline, as in mustache.java', () => {
    assert.equal(render('{{#t}}{{v}}\nx{{/t}}', '{"t": true, "v": 1}'), '1x');
  });
  it('changes delimiters, only inside the section where the change is written', () => {
    assert.equal(render('{{=<% %>=}}<% v %> {{v}}', '{"v": 1}'), '1 {{v}}');
    assert.equal(render('{{#t}}{{=| |=}}|v||/t|{{v}}', '{"t": true, "v": 2}'), '22');
  });
  it('renders {{$block}} bodies and ignores pragmas', () => {
    assert.equal(render('{{$b}}body {{v}}{{/b}}{{%PRAGMA x}}', '{"v": 3}'), 'body 3');
  });
});

describe('template compile errors carry line and column', () => {
  const cases: [string, RegExp, number, number][] = [
    ['{\n  "a": "{{#x}}"\n}', /section 'x' is never closed/, 2, 9],
    ['{{#a}}{{/b}}', /mismatched tags/, 1, 7],
    ['ok\n{{/a}}', /without an open section/, 2, 1],
    ['{{>partial}}', /cannot resolve partial/, 1, 1],
    ['{{<parent}}{{/parent}}', /cannot resolve parent/, 1, 1],
    ['x {{name', /unclosed tag/, 1, 3],
    ['{{{x}}', /improperly closed variable/, 1, 1],
    ['{{}}', /empty tag/, 1, 1],
    ['{{=<% %> %>=}}', /invalid delimiter/, 1, 1],
  ];
  for (const [template, message, line, column] of cases) {
    it(JSON.stringify(template), () => {
      const e = compileError(template);
      assert.match(e.message, message);
      assert.deepEqual([e.line, e.column], [line, column]);
    });
  }
});

describe('name lookup', () => {
  const ctx = '{"a": {"b": {"c": "deep"}}, "x.y": "literal", "x": {"y": "path"}, "n": null, "s": "str", "l": [1, 2], "outer": "o"}';
  it('walks dotted names, literal dotted keys first', () => {
    assert.equal(render('{{a.b.c}} {{x.y}}', ctx), 'deep literal');
  });
  it('searches outer scopes for plain names; a found null stops the search', () => {
    assert.equal(render('{{#a}}{{outer}}{{/a}}', ctx), 'o');
    assert.equal(render('{{#a}}{{n}}{{/a}}', ctx), '');
  });
  it('1.11+: a dotted name whose prefix is found in the inner scope does not go outwards; 1.10 does', () => {
    const c = '{"x": {"a": {"c": 1}}, "a": {"b": "outer"}}';
    assert.equal(render('{{#x}}{{a.b}}{{/x}}', c, '1.11'), '');
    assert.equal(render('{{#x}}{{a.b}}{{/x}}', c, '1.10'), 'outer');
  });
  it('reaches Java methods on non-object values only', () => {
    assert.equal(render('{{s.length}} {{l.size}} {{l.empty}} {{a.size}}', ctx), '3 2 false ');
  });
  it('an empty name segment on a string is a render error, on objects just missing', () => {
    assert.throws(() => render('{{#s}}{{.y}}{{/s}}', ctx), TemplateRenderError);
    assert.equal(render('{{.y}}', ctx), '');
  });
});

describe('sections and values', () => {
  it('truthiness follows mustache.java: 0, "0", {} are truthy; "", [] and null are not', () => {
    const t = '{{#v}}T{{/v}}{{^v}}F{{/v}}';
    const out = ['0', '0.0', '"0"', '"false"', '{}', '[false]', '""', '[]', 'null', 'false', 'true'].map((v) => render(t, `{"v": ${v}}`));
    assert.deepEqual(out, ['T', 'T', 'T', 'T', 'T', 'T', 'F', 'F', 'F', 'F', 'T']);
  });
  it('iterates lists, pushing each element as the scope', () => {
    assert.equal(render('{{#l}}[{{.}}|{{k}}]{{/l}}', '{"l": [{"k": 1}, {"k": 2}], "k": 0}'), '[{k=1}|1][{k=2}|2]');
  });
  it('1.9 HTML-escapes {{x}} but not {{{x}}} or {{&x}}', () => {
    assert.equal(render('{{v}}|{{{v}}}|{{&v}}', '{"v": "<a href=\\"x\\">&\'\\n"}', '1.9'), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&#10;|<a href="x">&\'\n|<a href="x">&\'\n');
  });
  it('lists the names a template uses with their enclosing sections', () => {
    const names = templateNames(compileTemplate('{{a}}{{#b}}{{c}}{{^d}}{{e}}{{/d}}{{/b}}'));
    assert.deepEqual(names.map((n) => [n.name, n.kind, n.enclosing.join('>')]), [
      ['a', 'value', ''],
      ['b', 'section', ''],
      ['c', 'value', 'b'],
      ['d', 'inverted', 'b'],
      ['e', 'value', 'b>d'],
    ]);
  });
});
