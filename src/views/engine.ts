import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { BodyOptions } from './renderedBodies.js';

type Template = Handlebars.TemplateDelegate;
type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;
type Callback = (err: Error | null, html?: string) => void;

export interface ViewEngineOptions {
  extname: string;
  layoutsDir: string;
  partialsDir: string;
  defaultLayout: string;
  helpers: Record<string, Handlebars.HelperDelegate>;
}

/**
 * The Express view engine: Handlebars templates with a layout (`layout` in the render data, `false` for none)
 * and partials named by their path under the partials folder (`promotions/rankTable`), as express-handlebars
 * names them.
 *
 * Written here rather than taken from express-handlebars because of what a render cost under load: that engine
 * resolves and awaits every partial's cached template on each render (a promise and a path per partial, twice
 * per page) and passes helpers and partials with every template call, which Handlebars then copies into a new
 * container on every partial invocation (each table row). Here the helpers and partials are registered once in
 * an isolated Handlebars environment and a render is two synchronous template calls (the view, then its
 * layout), the same output. A render may bring its body already rendered, or ask for it to be kept
 * (renderedBodies.ts). With `cache` off (development, tests) a template is recompiled when its file
 * changed (modification time), so edits show on the next request.
 */
export function createViewEngine(options: ViewEngineOptions) {
  const handlebars = Handlebars.create();
  handlebars.registerHelper(options.helpers);
  // Our helpers are known when templates compile, so a call compiles to a direct invocation instead of a
  // look-up among the context's properties and the helpers on every use (the `t` helper runs hundreds of
  // times a page). A context property of the same name is then never taken for the helper: none exists.
  const compileOptions: CompileOptions = {
    knownHelpers: Object.fromEntries(Object.keys(options.helpers).map((name) => [name, true])),
  };
  const compiled = new Map<string, { modified: number; template: Template }>();

  const templateOf = (file: string, cache: boolean): Template => {
    const known = compiled.get(file);
    if (known && cache) return known.template;
    const modified = fs.statSync(file).mtimeMs;
    if (known && known.modified === modified) return known.template;
    const template = handlebars.compile(fs.readFileSync(file, 'utf8').trim(), compileOptions);
    compiled.set(file, { modified, template });
    return template;
  };

  let partialsLoaded = false;
  const loadPartials = (cache: boolean) => {
    if (partialsLoaded && cache) return;
    const files = fs.readdirSync(options.partialsDir, { recursive: true, encoding: 'utf8' });
    for (const relative of files) {
      if (!relative.endsWith(options.extname)) continue;
      const name = relative.slice(0, -options.extname.length).split(path.sep).join('/');
      handlebars.registerPartial(name, templateOf(path.join(options.partialsDir, relative), cache));
    }
    partialsLoaded = true;
  };

  return (file: string, data: object, callback: Callback): void => {
    let html: string;
    try {
      const context = data as Record<string, unknown>;
      const cache = Boolean(context.cache);
      loadPartials(cache);
      const { renderedBody, keepBody } = context as BodyOptions;
      if (renderedBody !== undefined) html = renderedBody;
      else {
        html = templateOf(file, cache)(context).trim();
        keepBody?.(html);
      }
      const layout = 'layout' in context ? context.layout : options.defaultLayout;
      if (typeof layout === 'string' && layout !== '') {
        const layoutFile = path.resolve(
          options.layoutsDir,
          path.extname(layout) ? layout : `${layout}${options.extname}`,
        );
        html = templateOf(layoutFile, cache)({ ...context, body: html }).trim();
      }
    } catch (err) {
      callback(err as Error);
      return;
    }
    callback(null, html);
  };
}
