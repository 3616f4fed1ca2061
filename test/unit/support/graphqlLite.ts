/**
 * Just enough GraphQL for a fake server to be strict: parses one named operation (variables,
 * fields, aliases, arguments, literals), validates it against a schema description the way a real
 * server would (unknown fields, arguments and input fields, variable types, required arguments,
 * unused variables, leaf/object selections), and projects resolved values onto the selection, so a
 * client that forgets to ask for a field does not get it.
 */

export type Value =
  | { kind: 'var'; name: string }
  | { kind: 'literal'; value: unknown; enum?: boolean }
  | { kind: 'list'; values: Value[] }
  | { kind: 'object'; fields: Record<string, Value> };

export interface Field {
  name: string;
  alias?: string;
  args: Record<string, Value>;
  selections?: Field[];
}

export interface Operation {
  type: 'query' | 'mutation';
  name: string;
  /** Variable name → declared type, e.g. `String!`, `[String!]`. */
  variables: Record<string, string>;
  selections: Field[];
}

export interface FieldDef {
  type: string;
  args?: Record<string, string>;
}

export interface Schema {
  objects: Record<string, Record<string, FieldDef>>;
  inputs: Record<string, Record<string, string>>;
  enums: Record<string, readonly string[]>;
  scalars: readonly string[];
}

/** A syntax or validation error: what a GraphQL server answers with HTTP 400 before running anything. */
export class GraphqlValidationError extends Error {}

const TOKEN = /\s+|,|#[^\n]*|(\.\.\.|[!$():=@[\]{}|])|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:\\.|[^"\\])*")|([_A-Za-z][_0-9A-Za-z]*)/y;

type Token = { kind: 'punct' | 'number' | 'string' | 'name'; text: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new GraphqlValidationError(`Syntax Error: Unexpected character "${src[at]}".`);
    if (m[1]) tokens.push({ kind: 'punct', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'number', text: m[2] });
    else if (m[3]) tokens.push({ kind: 'string', text: m[3] });
    else if (m[4]) tokens.push({ kind: 'name', text: m[4] });
  }
  return tokens;
}

export function parseOperation(src: string): Operation {
  const t = tokenize(src);
  let i = 0;
  const peek = () => t[i];
  const next = () => {
    if (i >= t.length) throw new GraphqlValidationError('Syntax Error: Unexpected <EOF>.');
    return t[i++];
  };
  const expect = (text: string) => {
    const tok = next();
    if (tok.text !== text) throw new GraphqlValidationError(`Syntax Error: Expected "${text}", found "${tok.text}".`);
  };
  const name = () => {
    const tok = next();
    if (tok.kind !== 'name') throw new GraphqlValidationError(`Syntax Error: Expected Name, found "${tok.text}".`);
    return tok.text;
  };
  const type = (): string => {
    let s: string;
    if (peek()?.text === '[') {
      next();
      s = `[${type()}]`;
      expect(']');
    } else s = name();
    if (peek()?.text === '!') {
      next();
      s += '!';
    }
    return s;
  };
  const value = (): Value => {
    const tok = next();
    if (tok.text === '$') return { kind: 'var', name: name() };
    if (tok.text === '[') {
      const values: Value[] = [];
      while (peek()?.text !== ']') values.push(value());
      next();
      return { kind: 'list', values };
    }
    if (tok.text === '{') {
      const fields: Record<string, Value> = {};
      while (peek()?.text !== '}') {
        const key = name();
        expect(':');
        fields[key] = value();
      }
      next();
      return { kind: 'object', fields };
    }
    if (tok.kind === 'number') return { kind: 'literal', value: Number(tok.text) };
    if (tok.kind === 'string') return { kind: 'literal', value: JSON.parse(tok.text) };
    if (tok.kind === 'name') {
      if (tok.text === 'true' || tok.text === 'false') return { kind: 'literal', value: tok.text === 'true' };
      if (tok.text === 'null') return { kind: 'literal', value: null };
      return { kind: 'literal', value: tok.text, enum: true };
    }
    throw new GraphqlValidationError(`Syntax Error: Unexpected "${tok.text}".`);
  };
  const selectionSet = (): Field[] => {
    expect('{');
    const fields: Field[] = [];
    while (peek()?.text !== '}') {
      if (peek()?.text === '...') throw new GraphqlValidationError('This server does not support fragments.');
      let fieldName = name();
      let alias: string | undefined;
      if (peek()?.text === ':') {
        next();
        alias = fieldName;
        fieldName = name();
      }
      const args: Record<string, Value> = {};
      if (peek()?.text === '(') {
        next();
        while (peek()?.text !== ')') {
          const key = name();
          expect(':');
          args[key] = value();
        }
        next();
      }
      const selections = peek()?.text === '{' ? selectionSet() : undefined;
      fields.push({ name: fieldName, alias, args, selections });
    }
    next();
    return fields;
  };

  if (peek()?.text === '{') throw new GraphqlValidationError('This server answers named operations only.');
  const opType = name();
  if (opType !== 'query' && opType !== 'mutation') throw new GraphqlValidationError(`Syntax Error: Unexpected Name "${opType}".`);
  if (peek()?.kind !== 'name') throw new GraphqlValidationError('This server answers named operations only.');
  const opName = name();
  const variables: Record<string, string> = {};
  if (peek()?.text === '(') {
    next();
    while (peek()?.text !== ')') {
      expect('$');
      const v = name();
      expect(':');
      variables[v] = type();
      if (peek()?.text === '=') throw new GraphqlValidationError('This server does not support variable defaults.');
    }
    next();
  }
  const selections = selectionSet();
  if (i !== t.length) throw new GraphqlValidationError('This server answers one operation per request.');
  return { type: opType, name: opName, variables, selections };
}

const named = (type: string) => type.replace(/[[\]!]/g, '');
const nullable = (type: string) => (type.endsWith('!') ? type.slice(0, -1) : type);

/** Whether a variable declared as `declared` may be passed where `expected` is wanted. */
function assignable(declared: string, expected: string): boolean {
  return declared === expected || (!expected.endsWith('!') && declared === `${expected}!`);
}

/** Checks an operation and its variables against the schema; throws GraphqlValidationError. */
export function validate(op: Operation, variables: Record<string, unknown>, schema: Schema): void {
  const used = new Set<string>();
  const checkInput = (type: string, v: unknown, where: string): void => {
    if (v === null || v === undefined) {
      if (type.endsWith('!')) throw new GraphqlValidationError(`${where}: expected non-null ${type}.`);
      return;
    }
    const inner = nullable(type);
    if (inner.startsWith('[')) {
      if (!Array.isArray(v)) throw new GraphqlValidationError(`${where}: expected a list ${type}.`);
      v.forEach((x, k) => checkInput(inner.slice(1, -1), x, `${where}[${k}]`));
      return;
    }
    const fields = schema.inputs[inner];
    if (fields) {
      if (typeof v !== 'object' || Array.isArray(v)) throw new GraphqlValidationError(`${where}: expected an object ${inner}.`);
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (!(k in fields)) throw new GraphqlValidationError(`${where}: Field "${k}" is not defined by type "${inner}".`);
        checkInput(fields[k], x, `${where}.${k}`);
      }
      for (const [k, t] of Object.entries(fields)) {
        if (t.endsWith('!') && (v as Record<string, unknown>)[k] == null) throw new GraphqlValidationError(`${where}: Field "${inner}.${k}" of required type "${t}" was not provided.`);
      }
      return;
    }
    const values = schema.enums[inner];
    if (values && !values.includes(String(v))) throw new GraphqlValidationError(`${where}: Value "${String(v)}" does not exist in "${inner}" enum.`);
  };
  const checkValue = (type: string, v: Value, where: string): void => {
    if (v.kind === 'var') {
      const declared = op.variables[v.name];
      if (!declared) throw new GraphqlValidationError(`Variable "$${v.name}" is not defined by operation "${op.name}".`);
      if (!assignable(declared, type)) throw new GraphqlValidationError(`Variable "$${v.name}" of type "${declared}" used in position expecting type "${type}".`);
      used.add(v.name);
      return;
    }
    if (v.kind === 'list') return v.values.forEach((x, k) => checkValue(nullable(type).slice(1, -1), x, `${where}[${k}]`));
    if (v.kind === 'object') {
      const fields = schema.inputs[named(type)];
      if (!fields) throw new GraphqlValidationError(`${where}: an object is not a ${type}.`);
      for (const [k, x] of Object.entries(v.fields)) {
        if (!(k in fields)) throw new GraphqlValidationError(`Field "${k}" is not defined by type "${named(type)}".`);
        checkValue(fields[k], x, `${where}.${k}`);
      }
      return;
    }
    if (v.enum) checkInput(type, v.value, where);
  };
  const checkSelections = (typeName: string, fields: Field[]): void => {
    const defs = schema.objects[typeName];
    for (const f of fields) {
      const def = defs[f.name];
      if (!def) throw new GraphqlValidationError(`Cannot query field "${f.name}" on type "${typeName}".`);
      for (const [a, v] of Object.entries(f.args)) {
        const argType = def.args?.[a];
        if (!argType) throw new GraphqlValidationError(`Unknown argument "${a}" on field "${typeName}.${f.name}".`);
        checkValue(argType, v, `${typeName}.${f.name}(${a})`);
      }
      for (const [a, t] of Object.entries(def.args ?? {})) {
        if (t.endsWith('!') && !(a in f.args)) throw new GraphqlValidationError(`Field "${f.name}" argument "${a}" of type "${t}" is required, but it was not provided.`);
      }
      const target = named(def.type);
      const isObject = target in schema.objects;
      if (isObject && !f.selections) throw new GraphqlValidationError(`Field "${f.name}" of type "${def.type}" must have a selection of subfields.`);
      if (!isObject && f.selections) throw new GraphqlValidationError(`Field "${f.name}" must not have a selection since type "${def.type}" has no subfields.`);
      if (f.selections) checkSelections(target, f.selections);
    }
  };

  for (const [name, type] of Object.entries(op.variables)) {
    const known = named(type);
    if (!(known in schema.inputs) && !(known in schema.enums) && !schema.scalars.includes(known)) throw new GraphqlValidationError(`Unknown type "${known}".`);
    checkInput(type, variables[name], `Variable "$${name}"`);
  }
  checkSelections(op.type === 'query' ? 'Query' : 'Mutation', op.selections);
  for (const name of Object.keys(op.variables)) {
    if (!used.has(name)) throw new GraphqlValidationError(`Variable "$${name}" is never used in operation "${op.name}".`);
  }
}

/** An argument's value with the variables put in. */
export function evaluate(v: Value, variables: Record<string, unknown>): unknown {
  switch (v.kind) {
    case 'var':
      return variables[v.name] ?? null;
    case 'literal':
      return v.value;
    case 'list':
      return v.values.map((x) => evaluate(x, variables));
    case 'object':
      return Object.fromEntries(Object.entries(v.fields).map(([k, x]) => [k, evaluate(x, variables)]));
  }
}

/**
 * The resolved value cut down to what the selection asked for (keyed by alias where given). A field
 * resolved to a function is called with its evaluated arguments, so nested connections can page.
 */
export function project(value: unknown, fields: Field[] | undefined, typeName: string, schema: Schema, variables: Record<string, unknown>): unknown {
  if (value === null || value === undefined) return null;
  if (!fields) return value;
  if (Array.isArray(value)) return value.map((x) => project(x, fields, typeName, schema, variables));
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const def = schema.objects[typeName][f.name];
    const raw = src[f.name];
    const resolved = typeof raw === 'function' ? raw(evaluateArgs(f, variables)) : raw;
    out[f.alias ?? f.name] = project(resolved, f.selections, named(def.type), schema, variables);
  }
  return out;
}

export function evaluateArgs(f: Field, variables: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, evaluate(v, variables)]));
}

/**
 * A query's complexity as Linear documents it: 0.1 a property, 1 an object, and a connection's
 * children times its page size (`first`, else 50).
 */
export function complexity(fields: Field[], typeName: string, schema: Schema, variables: Record<string, unknown>): number {
  let score = 0;
  for (const f of fields) {
    const def = schema.objects[typeName][f.name];
    if (!f.selections) {
      score += 0.1;
      continue;
    }
    const target = named(def.type);
    const children = complexity(f.selections, target, schema, variables);
    if (target.endsWith('Connection')) {
      const first = evaluateArgs(f, variables).first;
      score += children * (typeof first === 'number' ? first : 50);
    } else score += 1 + children;
  }
  return score;
}
