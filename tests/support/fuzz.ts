// Malformed payloads for the fuzz suites, generated with fast-check from the JSON Schema our zod
// schemas give (z.toJSONSchema, the same the server's OpenAPI description is made of): first a value
// of the schema's shape, built from values at the edges (numbers at the limits of their types, empty,
// huge and odd unicode strings, valid-looking ids of another office), then bent — a field of the wrong
// type, a required one missing, an unexpected one added, a string made huge, a node buried under deep
// nesting — or replaced by something of no shape at all.
import fc from 'fast-check';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
};

/** Values from outside this desk or office that look right: ids of another office's letters, users, positions, blobs. */
export interface FuzzPools {
  ids: readonly string[];
}

const edgeNumbers = [
  0, -0, 1, -1, 0.5, -0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2, 1e21, -1e21, 1e308, -1e308, Number.MIN_VALUE, Number.EPSILON, 999999999999,
];
const oddStrings = [
  '', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF', '\uFEFF', '\u202Eكتاب', 'Surat Dinas ☃ 😀', 'ﷺ'.repeat(40), '\n\r\t', '..', '../../../etc/passwd',
  'C:\\Windows\\win.ini', '%E0%A4%A', '%00', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'null', 'undefined', 'NaN', '-1', '1e309',
  "' OR 1=1 --", '"; DROP TABLE letters; --', '<script>alert(1)</script>', '{"a":1}', '2026-02-30', '2026-13-01T25:61:61Z', '0000-00-00',
  'loket-../../x.db', 'x'.repeat(101), 'x'.repeat(1001),
];
const hugeLengths = [10_000, 70_000, 300_000];

/** A string of the odd kind, a huge one, or a foreign id. */
function oddString(pools: FuzzPools): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...oddStrings) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...hugeLengths), fc.constantFrom('a', 'é', '😀', '\u0000', 'ا ')).map(([n, c]) => c.repeat(Math.ceil(n / c.length))) },
    { weight: 3, arbitrary: fc.constantFrom(...pools.ids) },
  );
}

/** Something of no particular shape, nesting included. */
function anyValue(pools: FuzzPools): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: oddString(pools) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(...edgeNumbers, null, true, false, [], {}, [[]], { __proto__: { admin: true } }) },
    { weight: 1, arbitrary: deepNesting() },
  );
}

/**
 * Arrays or objects nested hundreds deep, as a recursive validator meets them; deeper ones (which
 * JSON.stringify and fast-check's reports cannot walk) travel as text: deepJson.
 */
function deepNesting(): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(64, 500), fc.boolean()).map(([depth, arrays]) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
    return v;
  });
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const m = /^#\/(?:\$defs|definitions|components\/schemas)\/(.+)$/.exec(schema.$ref);
  const found = m ? (root.$defs?.[m[1]!] ?? (root as { components?: { schemas?: Record<string, JsonSchema> } }).components?.schemas?.[m[1]!]) : undefined;
  return found ?? {};
}

/** A string that fits the schema's pattern or format when we know one like it: ids, hashes, dates. */
function stringOf(schema: JsonSchema, pools: FuzzPools): fc.Arbitrary<string> {
  const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
  if (schema.format === 'uuid' || schema.pattern?.includes('-7[0-9a-fA-F]{3}')) {
    return fc.oneof(fc.constantFrom(...pools.ids.filter((i) => /^[0-9a-f-]{36}$/.test(i)), '0190f000-0000-7000-8000-000000000001'), fc.uuid({ version: 7 }));
  }
  if (schema.pattern?.includes('64}') || schema.pattern?.includes('{64')) return fc.oneof(fc.constantFrom(...pools.ids.filter((i) => /^[0-9a-f]{64}$/.test(i))), hex(64));
  if (schema.format === 'date-time') return fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date' || schema.pattern?.includes('\\d{4}-\\d{2}-\\d{2}')) return fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 30, 30));
  return fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: min, maxLength: max }) }, { weight: 1, arbitrary: fc.constantFrom(...pools.ids) });
}

/** A value of the schema's shape (what a careless but well-meaning sender would send), `depth` bounding recursion. */
export function shaped(schema: JsonSchema, root: JsonSchema, pools: FuzzPools, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, root);
  if (depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((a) => shaped(a, root, pools, depth + 1)));
  if (s.allOf && s.allOf.length > 0) return shaped(s.allOf[0]!, root, pools, depth + 1);
  const type = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => shaped({ ...s, type: t }, root, pools, depth + 1)));
  switch (type[0]) {
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      const required = new Set(s.required ?? []);
      const fields = Object.fromEntries(props.map(([k, v]) => [k, shaped(v, root, pools, depth + 1)]));
      return fc.record(fields, { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
    }
    case 'array': {
      if (s.prefixItems) return fc.tuple(...s.prefixItems.map((p) => shaped(p, root, pools, depth + 1)));
      return fc.array(shaped(s.items ?? {}, root, pools, depth + 1), { minLength: Math.min(s.minItems ?? 0, 3), maxLength: Math.max(Math.min(s.minItems ?? 0, 3), 3) });
    }
    case 'string': return stringOf(s, pools);
    case 'integer': return fc.oneof(fc.constantFrom(...edgeNumbers.filter(Number.isInteger)), fc.integer({ min: s.minimum ?? -10, max: Math.min(s.maximum ?? 10_000, 10_000) }));
    case 'number': return fc.oneof(fc.constantFrom(...edgeNumbers), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    default: return anyValue(pools);
  }
}

type Path = (string | number)[];

/** Every place inside `v` a mutation can reach (the value itself included), shallow first, at most 200. */
function places(v: unknown): Path[] {
  const out: Path[] = [[]];
  const queue: [unknown, Path][] = [[v, []]];
  while (queue.length > 0 && out.length < 200) {
    const [node, path] = queue.shift()!;
    if (node === null || typeof node !== 'object' || path.length > 8) continue;
    for (const [k, child] of Object.entries(node)) {
      const p = [...path, Array.isArray(node) ? Number(k) : k];
      out.push(p);
      queue.push([child, p]);
    }
  }
  return out;
}

function structuredCopy(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v)) as unknown;
}

function replaceAt(v: unknown, path: Path, f: (old: unknown, parent: Record<string | number, unknown> | undefined, key: string | number | undefined) => unknown): unknown {
  if (path.length === 0) return f(v, undefined, undefined);
  let node = v as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const key = path.at(-1)!;
  const next = f(node[key], node, key);
  if (next === deleted) delete node[key];
  else node[key] = next;
  return v;
}
const deleted = Symbol('deleted');

type Mutation = { kind: 'replace'; with: unknown } | { kind: 'delete' } | { kind: 'extra'; key: string; value: unknown } | { kind: 'bury'; depth: number };

function mutation(pools: FuzzPools): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 4, arbitrary: anyValue(pools).map((w) => ({ kind: 'replace' as const, with: w })) },
    { weight: 3, arbitrary: oddString(pools).map((w) => ({ kind: 'replace' as const, with: w })) },
    { weight: 2, arbitrary: fc.constantFrom(...edgeNumbers).map((w) => ({ kind: 'replace' as const, with: w })) },
    { weight: 3, arbitrary: fc.constant({ kind: 'delete' as const }) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor', 'officeId', 'userId', 'role', 'id', ''), anyValue(pools)).map(([key, value]) => ({ kind: 'extra' as const, key, value })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'bury' as const, depth: 500 }) },
  );
}

function apply(v: unknown, path: Path, m: Mutation): unknown {
  return replaceAt(v, path, (old) => {
    switch (m.kind) {
      case 'replace': return m.with;
      case 'delete': return path.length === 0 ? undefined : deleted;
      case 'extra':
        if (old !== null && typeof old === 'object' && !Array.isArray(old)) return { ...(old as object), [m.key]: m.value };
        return m.value;
      case 'bury': {
        let out: unknown = old;
        for (let i = 0; i < m.depth; i++) out = [out];
        return out;
      }
    }
  });
}

/** A payload for an input described by `schema`: of its shape (a few), bent by one to three mutations (most), or shapeless. */
export function payloadFor(schema: JsonSchema | undefined, root: JsonSchema, pools: FuzzPools): fc.Arbitrary<unknown> {
  if (!schema) return anyValue(pools);
  const base = shaped(schema, root, pools);
  const bent = fc.tuple(base, fc.array(fc.tuple(fc.nat(), mutation(pools)), { minLength: 1, maxLength: 3 })).map(([value, ms]) => {
    let v = structuredCopy(value);
    for (const [at, m] of ms) {
      const all = places(v);
      v = apply(v, all[at % all.length]!, m);
    }
    return v;
  });
  return fc.oneof({ weight: 2, arbitrary: base }, { weight: 6, arbitrary: bent }, { weight: 1, arbitrary: anyValue(pools) });
}

/** The seed the fuzz suites run with: fixed, so a failure comes back; LOKET_FUZZ_SEED tries another. */
export function fuzzSeed(): number {
  const given = Number(process.env.LOKET_FUZZ_SEED);
  return Number.isSafeInteger(given) && process.env.LOKET_FUZZ_SEED ? given : 20_261_205;
}

/** JSON text nested `depth` deep, arrays or objects, optionally inside a wrapper's `$` (e.g. a mutation's payload). */
export function deepJson(depth: number, arrays: boolean, wrapper = '$'): string {
  const inner = arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return wrapper.replace('$', inner);
}

/**
 * Bounds the time a fuzz suite gives each target (route or channel): one whose calls have used up its
 * share gets no more (the suite draws another), so a few slow targets (a PDF rendered, a scanner probed,
 * a password hashed) cannot stretch the run, and the payload count stays the same. Which ones ran out
 * is printed with the suite's figures.
 */
export class TimeShares {
  private readonly used = new Map<string, number>();
  private readonly shareMs: number;
  constructor(shareMs: number) {
    this.shareMs = shareMs;
  }
  allows(target: string): boolean {
    return (this.used.get(target) ?? 0) < this.shareMs;
  }
  spent(target: string, ms: number): void {
    this.used.set(target, (this.used.get(target) ?? 0) + ms);
  }
  exhausted(): string[] {
    return [...this.used].filter(([, ms]) => ms >= this.shareMs).map(([t]) => t);
  }
}
