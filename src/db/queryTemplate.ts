import type { Knex } from 'knex';

/** A value a template's parameter stands for: a number, a string, or an array of them. */
type Value = number | string | number[] | string[];

/** Where a compiled binding comes from: a parameter (alone, or as a one-element array), or the builder. */
type Slot<P> = { param: keyof P; wrap: boolean } | { constant: unknown };

/**
 * A statement whose text depends only on its shape (a few flags; any JSON value), not on its values, built with knex once per
 * shape instead of on every request: compiling a large query builder (the career page's record, ~40 nested
 * builders and raw fragments) cost more app CPU than anything else the page did besides the socket writes.
 *
 * `build` is called once per shape with `markers`, one distinctive value per parameter (a negative id, a date
 * no record has, an array of one such id); the compiled bindings are matched against the markers, so each
 * binding is known to be either a parameter or a constant of the builder (a shape may leave a parameter out).
 * So `build` must pass each parameter into the query unchanged (never a value computed from one, which would
 * be kept as a constant), and the shape must name everything else the text or its constants depend on. On each
 * call the parameters' values take the markers' places: the statement the builder would have produced for those
 * values (a test compares them).
 */
export function queryTemplate<P extends Record<string, Value>, S = string>(
  build: (db: Knex, values: P, shape: S) => Knex.QueryBuilder | Knex.Raw,
  markers: P,
) {
  const compiled = new Map<string, { sql: string; slots: Array<Slot<P>> }>();
  const keyOf = (v: unknown) => JSON.stringify(v);
  const markerKeys = new Map(Object.entries(markers).map(([name, v]) => [keyOf(v), name as keyof P]));
  if (markerKeys.size !== Object.keys(markers).length) throw new Error('queryTemplate: markers must differ');

  return (db: Knex, shape: S, values: P): Knex.Raw => {
    const shapeKey = keyOf(shape);
    let entry = compiled.get(shapeKey);
    if (!entry) {
      const { sql, bindings } = build(db, markers, shape).toSQL();
      const slots = bindings.map((b): Slot<P> => {
        const param = markerKeys.get(keyOf(b));
        if (param !== undefined) return { param, wrap: false };
        // A scalar parameter bound as a one-element array (`= any(?)` over [id]).
        const inside = Array.isArray(b) && b.length === 1 ? markerKeys.get(keyOf(b[0])) : undefined;
        if (inside !== undefined) return { param: inside, wrap: true };
        // Anything else is a constant of the builder, and must not hide a marker (a value derived from one).
        const text = keyOf(b);
        for (const marker of markerKeys.keys())
          if (text.includes(marker.replace(/^\[|\]$/g, '')))
            throw new Error(`queryTemplate: a binding derived from a parameter: ${text}`);
        return { constant: b };
      });
      entry = { sql, slots };
      compiled.set(shapeKey, entry);
    }
    const bindings = entry.slots.map((s) =>
      'param' in s ? (s.wrap ? [values[s.param]] : values[s.param]) : s.constant,
    );
    return db.raw(entry.sql, bindings as readonly Knex.RawBinding[]);
  };
}
