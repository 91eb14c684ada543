import fs from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import type { Locale } from './domain/dates.js';
import { localesDir } from './projectFiles.js';

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Messages of a locale: every locales/<locale>/<area>.json merged. Areas own disjoint top-level keys
 * (a duplicate is an error), so each capability keeps its strings in its own file.
 */
export function loadMessages(locale: Locale): Record<string, unknown> {
  const dir = path.join(localesDir, locale);
  const merged: Record<string, unknown> = {};
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const messages = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(messages)) {
      if (key in merged)
        throw new Error(`locales/${locale}/${file}: top-level key "${key}" is already defined`);
      merged[key] = value;
    }
  }
  return merged;
}

const instance = i18next.createInstance();
void instance.init({
  resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: loadMessages(l) }])),
  lng: DEFAULT_LOCALE,
  fallbackLng: false,
  supportedLngs: [...LOCALES],
  // Handlebars escapes the helper's output; escaping here too would double-escape.
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export type Translate = TFunction;

const translators = new Map<Locale, Translate>();

/**
 * The locale's translator, one per locale. A message asked for without values is remembered per key (the
 * messages never change while the server runs, and a page asks for the same labels hundreds of times);
 * messages with values go to i18next each time.
 */
export function translator(locale: Locale): Translate {
  let t = translators.get(locale);
  if (!t) {
    t = remembering(instance.getFixedT(locale));
    translators.set(locale, t);
  }
  return t;
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (const _ in value) return false;
  return true;
}

function remembering(fixed: TFunction): Translate {
  const plain = new Map<string, unknown>();
  const call = fixed as unknown as (...args: unknown[]) => unknown;
  return ((key: unknown, options?: unknown, ...rest: unknown[]) => {
    if (typeof key === 'string' && rest.length === 0 && (options === undefined || isEmptyObject(options))) {
      const known = plain.get(key);
      if (known !== undefined) return known;
      const value = call(key);
      if (plain.size < 20_000) plain.set(key, value);
      return value;
    }
    return call(key, options, ...rest);
  }) as unknown as Translate;
}

/** The best supported locale for an Accept-Language header; Chinese unless English is preferred. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return DEFAULT_LOCALE;
}
