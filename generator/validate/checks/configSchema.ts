/**
 * A yes/no validator of install options for config.json, cheaper to compile than the
 * explaining one of the render engine (generator/render/options.ts): the same ajv set-up
 * (createAjv) and the same schema (ids in schema positions and the top `$schema` dropped), but
 * without `allErrors`, which makes the generated code much smaller. That does not change a
 * verdict; when the answer is "no", the render engine's validator explains it. A test
 * compares the verdicts of both. Used for the schemas the interpreter (interpret.ts) declines.
 */
import type { ValidateFunction } from 'ajv';
import { toPlain, type JsonValue } from '../../json/value.js';
import { schemaForAjv } from '../../render/options.js';
import { createAjv, type AjvInstance } from '../../schemas/registry.js';
import { ContentCache, textId } from '../../cache.js';
import { interpretSchema, interpretedVerdict, type Interpreted } from './interpret.js';

let ajv: AjvInstance | undefined;
let compiledCount = 0;

function instance(): AjvInstance {
  // A fresh instance now and then: ajv keeps every schema it compiled.
  if (ajv === undefined || compiledCount >= 256) {
    ajv = createAjv({ allErrors: false, verbose: false, addUsedSchema: false, code: { optimize: false } });
    compiledCount = 0;
  }
  return ajv;
}

const validators = new ContentCache<ValidateFunction | Error>(256);
const interpreted = new ContentCache<Interpreted | undefined>(256);

/**
 * A yes/no check of options against a config.json: the interpreter when it reads the schema
 * (no compiling), else the quick ajv validator; or the error compiling the schema.
 */
export function configChecker(configText: string, config: JsonValue): ((data: unknown) => boolean) | Error {
  const byInterpreter = interpreted.get(String(textId(configText)), () => interpretSchema(schemaForAjv(toPlain(config))));
  if (byInterpreter === undefined) return quickConfigValidator(configText, config);
  return (data) => {
    const verdict = interpretedVerdict(byInterpreter, data);
    if (verdict !== undefined) return verdict;
    const quick = quickConfigValidator(configText, config);
    return quick instanceof Error ? false : quick(data);
  };
}

/** The validator of a config.json (cached by its text), or the error compiling it. */
export function quickConfigValidator(configText: string, config: JsonValue): ValidateFunction | Error {
  return validators.get(String(textId(configText)), () => {
    try {
      const schema = schemaForAjv(toPlain(config));
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return new Error('config.json must hold a JSON object');
      compiledCount++;
      return instance().compile(schema);
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  });
}

/** The render engine's own preparation of a config.json for ajv (one definition for both). */
export { schemaForAjv };
