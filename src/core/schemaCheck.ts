/**
 * A quick acceptance test compiled from a zod schema. zod answers every frontmatter, but it copies the
 * data it checks: on a cold index that copy was a third of all allocation. The compiled test reads the
 * same schema definition, allocates nothing, and answers only "zod accepts this": when it cannot tell
 * (a failure, or a part of a schema it does not know), zod runs and reports. A differential test holds it
 * to zod's answer.
 */
import type { z } from 'zod';

type Accept = (value: unknown) => boolean;

/** The parts of zod's (v4) definition objects read here. */
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  innerType?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, unknown>;
}
interface CheckDef {
  check: string;
  minimum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
  fn?: (value: unknown) => unknown;
}

const never: Accept = () => false;
const always: Accept = () => true;
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One check of a string or number; undefined when it is not one of those understood here. */
function check(c: CheckDef): Accept | undefined {
  switch (c.check) {
    case 'min_length':
      return (v) => (v as string).length >= c.minimum!;
    case 'greater_than':
      return c.inclusive ? (v) => (v as number) >= c.value! : (v) => (v as number) > c.value!;
    case 'less_than':
      return c.inclusive ? (v) => (v as number) <= c.value! : (v) => (v as number) < c.value!;
    case 'number_format':
      return c.format === 'safeint' ? (v) => Number.isSafeInteger(v) : undefined;
    case 'string_format':
      return c.format === 'regex' && c.pattern && !c.pattern.global && !c.pattern.sticky ? (v) => c.pattern!.test(v as string) : undefined;
    case 'custom':
      return c.fn && ((v) => c.fn!(v) === true);
    default:
      return undefined;
  }
}

/** A type test followed by its checks, or `never` when a check is not understood. */
function withChecks(def: Def, type: Accept): Accept {
  const checks = (def.checks ?? []).map((c) => check(c._zod.def));
  if (checks.some((c) => !c)) return never;
  const all = checks as Accept[];
  if (!all.length) return type;
  return (v) => {
    if (!type(v)) return false;
    for (const c of all) if (!c(v)) return false;
    return true;
  };
}

function compile(schema: z.ZodType): Accept {
  const def = defOf(schema);
  switch (def.type) {
    case 'unknown':
    case 'any':
      return always;
    case 'string':
      return withChecks(def, (v) => typeof v === 'string');
    case 'number':
      return withChecks(def, (v) => typeof v === 'number' && Number.isFinite(v));
    case 'boolean':
      return withChecks(def, (v) => typeof v === 'boolean');
    case 'date':
      return withChecks(def, (v) => v instanceof Date && !Number.isNaN(v.getTime()));
    case 'null':
      return (v) => v === null;
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = compile(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case 'union': {
      const options = def.options!.map(compile);
      return (v) => options.some((o) => o(v));
    }
    case 'array': {
      const element = compile(def.element!);
      // By index, as zod reads it: a hole is an undefined element.
      return withChecks(def, (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      });
    }
    case 'record': {
      // String keys only; the data is plain (prototype Object or none), as parsed YAML is.
      if (defOf(def.keyType!).type !== 'string' || defOf(def.keyType!).checks?.length) return never;
      const value = compile(def.valueType!);
      return (v) => {
        if (!isObject(v)) return false;
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) return false;
        for (const k in v) if (Object.hasOwn(v, k) && !value(v[k])) return false;
        return true;
      };
    }
    case 'object': {
      // Only objects that let unknown keys through: a strict or stripping object is left to zod.
      if (!def.catchall || defOf(def.catchall).type !== 'unknown') return never;
      const keys = Object.keys(def.shape!);
      const fields = keys.map((k) => compile(def.shape![k]));
      return withChecks(def, (v) => {
        if (!isObject(v)) return false;
        for (let i = 0; i < keys.length; i++) if (!fields[i](v[keys[i]])) return false;
        return true;
      });
    }
    default:
      return never;
  }
}

const compiled = new WeakMap<z.ZodType, Accept>();

/** True only when zod would accept `value` against `schema`; false means "ask zod". */
export function quickAccepts(schema: z.ZodType, value: unknown): boolean {
  let accept = compiled.get(schema);
  if (!accept) compiled.set(schema, (accept = compile(schema)));
  return accept(value);
}
