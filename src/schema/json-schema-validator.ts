// Compiles a JSON Schema (2020-12, with draft-07/04 spellings) once into a tree of closures;
// validating a request is then a walk of the instance only, never of the schema.
// Not supported (treated as annotations, i.e. they accept anything): unevaluatedProperties,
// unevaluatedItems, $dynamicRef/$recursiveRef, and $ref relative to a nested $id.
import { compileArray } from './json-schema-arrays.ts';
import { compileObject } from './json-schema-objects.ts';
import { compileNumber, compileString } from './json-schema-scalars.ts';
import {
  JSON_TYPES,
  child,
  deepEqual,
  firstIssue,
  isObject,
  noop,
  quote,
  report,
  sequence,
  typeName,
} from './json-schema-support.ts';
import { explainer, gate } from './json-schema-unions.ts';
import type { Check, Compiler, Ctx, PathSegment, SchemaIssue } from './json-schema-support.ts';

export type { PathSegment, SchemaIssue };

/** A JSON Schema object. Booleans are schemas too, but only where a subschema is expected. */
export type JsonSchema = { [keyword: string]: unknown };

export interface CompileJsonSchemaOptions {
  /** Label for registration errors, e.g. `tool "echo" inputSchema`. */
  where?: string;
  /** Stop collecting after this many issues; a model needs the first few, not hundreds. */
  maxIssues?: number;
}

export type JsonSchemaValidator = (value: unknown) => SchemaIssue[];

export function compileJsonSchema(
  schema: JsonSchema | boolean,
  options: CompileJsonSchemaOptions = {},
): JsonSchemaValidator {
  const check = new SchemaCompiler(schema, options.where ?? 'JSON Schema').sub(schema, '#');
  const limit = options.maxIssues ?? 20;
  return (value) => {
    const ctx: Ctx = { path: [], issues: [], limit };
    check(value, ctx);
    return ctx.issues;
  };
}

const rejectAll: Check = (_v, ctx) => report(ctx, 'is not allowed here');

// Keys whose values are data, not subschemas: an "$anchor" inside an example must not register.
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

class SchemaCompiler implements Compiler {
  readonly #root: unknown;
  readonly #where: string;
  readonly #compiled = new Map<object, Check>();
  #anchors: Map<string, unknown> | undefined;

  constructor(root: unknown, where: string) {
    this.#root = root;
    this.#where = where;
  }

  fail(ptr: string, problem: string): never {
    throw new TypeError(`${this.#where}: invalid JSON Schema at ${ptr}: ${problem}`);
  }

  sub(schema: unknown, ptr: string): Check {
    if (schema === true) return noop;
    if (schema === false) return rejectAll;
    if (!isObject(schema)) this.fail(ptr, `a schema must be an object or a boolean, got ${typeName(schema)}`);
    const done = this.#compiled.get(schema);
    if (done) return done;
    // A $ref cycle reaches this schema again before it is built; the trampoline closes the loop.
    let built: Check = noop;
    this.#compiled.set(schema, (v, ctx) => built(v, ctx));
    built = this.#build(schema, ptr);
    this.#compiled.set(schema, built);
    return built;
  }

  #build(s: JsonSchema, ptr: string): Check {
    if ('~standard' in s) {
      this.fail(
        ptr,
        'found a Standard Schema object (e.g. a zod schema) inside a plain JSON Schema. Pass either ' +
          'a plain JSON Schema object or one Standard Schema for the whole input, e.g. z.object({ ... }).',
      );
    }
    const checks: Check[] = [];
    const add = (check: Check | undefined): void => {
      if (check && check !== noop) checks.push(check);
    };
    if (s.$ref !== undefined) add(this.#ref(s.$ref, ptr));
    if (s.type !== undefined) add(this.#type(s.type, ptr));
    if (s.enum !== undefined) add(this.#enum(s.enum, ptr));
    if ('const' in s) add(constant(s.const));
    add(compileString(this, s, ptr));
    add(compileNumber(this, s, ptr));
    add(compileArray(this, s, ptr));
    add(compileObject(this, s, ptr));
    if (s.allOf !== undefined) add(sequence(this.#list(s, 'allOf', ptr)));
    if (s.anyOf !== undefined) add(this.#union(s, 'anyOf', ptr));
    if (s.oneOf !== undefined) add(this.#union(s, 'oneOf', ptr));
    if (s.not !== undefined) add(this.#not(s.not, ptr));
    if (s.if !== undefined) add(this.#conditional(s, ptr));
    return sequence(checks) ?? noop;
  }

  #list(s: JsonSchema, key: string, ptr: string): Check[] {
    const list = s[key];
    if (!Array.isArray(list) || list.length === 0) this.fail(child(ptr, key), `"${key}" must be a non-empty array of schemas`);
    return list.map((sub, i) => this.sub(sub, child(ptr, key, i)));
  }

  #type(type: unknown, ptr: string): Check {
    const names = Array.isArray(type) ? type : [type];
    const tests = names.map((name) => {
      const test = typeof name === 'string' && Object.hasOwn(JSON_TYPES, name) ? JSON_TYPES[name] : undefined;
      if (!test) {
        this.fail(child(ptr, 'type'), `unknown type ${quote(name)}; use ${Object.keys(JSON_TYPES).join(', ')}`);
      }
      return test;
    });
    const expected = `must be ${names.join(' or ')}`;
    const [only] = tests;
    if (tests.length === 1 && only) {
      return (v, ctx) => {
        if (!only(v)) report(ctx, `${expected}, got ${typeName(v)}`);
      };
    }
    return (v, ctx) => {
      if (!tests.some((test) => test(v))) report(ctx, `${expected}, got ${typeName(v)}`);
    };
  }

  #enum(values: unknown, ptr: string): Check {
    if (!Array.isArray(values)) this.fail(child(ptr, 'enum'), '"enum" must be an array');
    const shown = values.slice(0, 12).map((v) => quote(v, 40)).join(', ');
    const message = `must be one of ${shown}${values.length > 12 ? `, … (${values.length} values)` : ''}`;
    if (values.every((v) => typeof v !== 'object' || v === null)) {
      const allowed = new Set(values);
      return (v, ctx) => {
        if (!allowed.has(v)) report(ctx, message);
      };
    }
    return (v, ctx) => {
      if (!values.some((allowed) => deepEqual(allowed, v))) report(ctx, message);
    };
  }

  #union(s: JsonSchema, key: 'anyOf' | 'oneOf', ptr: string): Check {
    const branches = this.#list(s, key, ptr);
    const gates = (s[key] as unknown[]).map(gate);
    const explain = explainer(key, branches, gates);
    if (key === 'anyOf') {
      return (v, ctx) => {
        for (const branch of branches) if (!firstIssue(branch, v, ctx)) return;
        explain(v, ctx);
      };
    }
    return (v, ctx) => {
      const matched: number[] = [];
      for (let i = 0; i < branches.length; i++) {
        if (!firstIssue(branches[i] as Check, v, ctx)) matched.push(i);
      }
      if (matched.length === 0) explain(v, ctx);
      else if (matched.length > 1) {
        report(ctx, `must match exactly one schema in oneOf, but matches ${matched.length} (branches ${matched.join(', ')})`);
      }
    };
  }

  #not(schema: unknown, ptr: string): Check {
    const inner = this.sub(schema, child(ptr, 'not'));
    return (v, ctx) => {
      if (!firstIssue(inner, v, ctx)) report(ctx, 'must NOT match the "not" schema');
    };
  }

  #conditional(s: JsonSchema, ptr: string): Check | undefined {
    const test = this.sub(s.if, child(ptr, 'if'));
    const then = s.then === undefined ? noop : this.sub(s.then, child(ptr, 'then'));
    const otherwise = s.else === undefined ? noop : this.sub(s.else, child(ptr, 'else'));
    if (then === noop && otherwise === noop) return undefined;
    return (v, ctx) => (firstIssue(test, v, ctx) ? otherwise : then)(v, ctx);
  }

  #ref(ref: unknown, ptr: string): Check {
    if (typeof ref !== 'string') this.fail(child(ptr, '$ref'), '"$ref" must be a string');
    const fragment = this.#localFragment(ref);
    // Non-local references are never fetched (MCP forbids auto-dereferencing); they accept anything.
    if (fragment === undefined) return noop;
    let decoded: string;
    try {
      decoded = decodeURIComponent(fragment);
    } catch {
      this.fail(child(ptr, '$ref'), `${quote(ref)} is not a valid URI fragment`);
    }
    const target = decoded === '' ? this.#root : decoded.startsWith('/') ? this.#pointer(decoded) : this.#anchor(decoded);
    if (target === undefined) {
      this.fail(
        child(ptr, '$ref'),
        `cannot resolve ${quote(ref)}; define it (e.g. under "$defs", or with a matching "$anchor") or fix the reference`,
      );
    }
    return this.sub(target, `#${decoded}`);
  }

  /** The part after "#" when the reference points into this document, else undefined. */
  #localFragment(ref: string): string | undefined {
    if (ref === '') return '';
    if (ref.startsWith('#')) return ref.slice(1);
    const id = isObject(this.#root) && typeof this.#root.$id === 'string' ? this.#root.$id.replace(/#$/, '') : '';
    if (id !== '' && (ref === id || ref.startsWith(`${id}#`))) return ref.slice(id.length + 1);
    return undefined;
  }

  #pointer(pointer: string): unknown {
    let node: unknown = this.#root;
    for (const raw of pointer.slice(1).split('/')) {
      const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      if ((!isObject(node) && !Array.isArray(node)) || !Object.hasOwn(node, key)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  }

  #anchor(name: string): unknown {
    if (!this.#anchors) {
      const anchors = new Map<string, unknown>();
      const seen = new Set<unknown>();
      const walk = (node: unknown): void => {
        if (typeof node !== 'object' || node === null || seen.has(node)) return;
        seen.add(node);
        if (Array.isArray(node)) return node.forEach(walk);
        const o = node as Record<string, unknown>;
        for (const key of ['$anchor', '$dynamicAnchor']) {
          const a = o[key];
          if (typeof a === 'string' && !anchors.has(a)) anchors.set(a, o);
        }
        for (const [key, value] of Object.entries(o)) if (!DATA_KEYWORDS.has(key)) walk(value);
      };
      walk(this.#root);
      this.#anchors = anchors;
    }
    return this.#anchors.get(name);
  }
}

function constant(expected: unknown): Check {
  const message = `must equal ${quote(expected)}`;
  if (typeof expected !== 'object' || expected === null) {
    return (v, ctx) => {
      if (v !== expected) report(ctx, message);
    };
  }
  return (v, ctx) => {
    if (!deepEqual(v, expected)) report(ctx, message);
  };
}
