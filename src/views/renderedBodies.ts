/**
 * Rendered page bodies kept beside the shared, frozen data they were rendered from (a cached establishment,
 * say): a page whose data came from an in-process cache renders its body once per variant (language, the
 * reader's links and buttons, the print view, the query) and afterwards only its layout, which carries
 * everything about the reader and the request (name, menu, inbox count, CSRF token, flash message).
 *
 * Held in a WeakMap keyed by the data object: when the cache replaces its entry (after a write) the old
 * bodies go with the old data, so a body can never outlive the data it shows. The variant key is the
 * caller's promise: it must name every input of the body's template other than the data. A few variants per
 * data object are kept (the oldest dropped first), so odd query strings cannot grow it.
 */
export class RenderedBodies {
  private readonly bodies = new WeakMap<object, Map<string, string>>();

  constructor(private readonly variantsPerData = 8) {}

  get(data: object, variant: string): string | undefined {
    return this.bodies.get(data)?.get(variant);
  }

  set(data: object, variant: string, html: string): void {
    let variants = this.bodies.get(data);
    if (!variants) {
      variants = new Map();
      this.bodies.set(data, variants);
    }
    variants.set(variant, html);
    while (variants.size > this.variantsPerData) {
      const oldest = variants.keys().next().value;
      if (oldest === undefined) break;
      variants.delete(oldest);
    }
  }
}

/**
 * What a render's data may carry for the view engine (engine.ts): `renderedBody`, a body rendered before
 * (the view's template is skipped, only the layout runs), or `keepBody`, called with the body once rendered.
 */
export interface BodyOptions {
  renderedBody?: string;
  keepBody?: (html: string) => void;
}
