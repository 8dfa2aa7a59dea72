// How a failed anyOf/oneOf explains itself: the branch the value evidently aimed at (its "type"
// and const-valued properties) speaks for the union, else the first issues of a few branches.
import {
  JSON_TYPES,
  deepEqual,
  firstIssue,
  isObject,
  report,
  typeName,
} from './json-schema-support.ts';
import type { Check } from './json-schema-support.ts';

interface Gate {
  types?: string[];
  consts: [string, unknown][];
}

/**
 * What a union branch visibly demands (its "type" and any const-valued properties), so a failed
 * union can blame the one branch the value was evidently aiming at, e.g. the matching "kind".
 */
export function gate(branch: unknown): Gate | undefined {
  if (!isObject(branch)) return undefined;
  const type = branch.type;
  const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type.map(String) : undefined;
  const consts: [string, unknown][] = [];
  if (isObject(branch.properties)) {
    for (const [key, sub] of Object.entries(branch.properties)) {
      if (!isObject(sub)) continue;
      if ('const' in sub) consts.push([key, sub.const]);
      else if (Array.isArray(sub.enum) && sub.enum.length === 1) consts.push([key, sub.enum[0]]);
    }
  }
  // A branch demanding nothing visible says nothing about intent, so it is never singled out.
  if (!types && consts.length === 0) return undefined;
  return { ...(types ? { types } : {}), consts };
}

function typeMatches(g: Gate | undefined, v: unknown): boolean {
  return !g?.types || g.types.some((t) => Object.hasOwn(JSON_TYPES, t) && JSON_TYPES[t]?.(v));
}

function passesGate(g: Gate | undefined, v: unknown): boolean {
  if (!typeMatches(g, v)) return false;
  if (!g || !isObject(v)) return true;
  return g.consts.every(([key, expected]) => !Object.hasOwn(v, key) || deepEqual(v[key], expected));
}

export function explainer(key: 'anyOf' | 'oneOf', branches: Check[], gates: (Gate | undefined)[]): Check {
  const quantifier = key === 'anyOf' ? 'at least one' : 'exactly one';
  const allTyped = gates.every((g) => g?.types !== undefined);
  const typeUnion = allTyped ? [...new Set(gates.flatMap((g) => g?.types ?? []))].join(' or ') : '';
  return (v, ctx) => {
    const candidates = branches.filter((_, i) => gates[i] !== undefined && passesGate(gates[i], v));
    const [only] = candidates;
    if (candidates.length === 1 && only) return only(v, ctx);
    if (allTyped && !gates.some((g) => typeMatches(g, v))) {
      return report(ctx, `must be ${typeUnion}, got ${typeName(v)}`);
    }
    const hints: string[] = [];
    const depth = ctx.path.length;
    for (let i = 0; i < branches.length && hints.length < 3; i++) {
      const issue = firstIssue(branches[i] as Check, v, ctx);
      if (!issue) continue;
      const where = issue.path.slice(depth).join('.');
      hints.push(`branch ${i}: ${where ? `${where}: ` : ''}${issue.message}`);
    }
    report(ctx, `must match ${quantifier} schema in ${key} (${hints.join('; ')})`);
  };
}
