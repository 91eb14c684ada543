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
 * messages never change while the server runs, and a page asks for the same labels hundreds of times); a
 * message with values whose placeholders are plain `{{name}}` or nestings `$t(prefix.{{name}})` of plain
 * messages is split once into its parts and filled directly (see `filled`); anything else goes to i18next.
 */
export function translator(locale: Locale): Translate {
  let t = translators.get(locale);
  if (!t) {
    t = remembering(instance.getFixedT(locale), locale);
    translators.set(locale, t);
  }
  return t;
}

/**
 * A message split at its placeholders: texts[0] name[0] texts[1] … name[n-1] texts[n]. A placeholder inside a
 * nesting, `$t(prefix.{{name}})`, has its prefix in `nests` (null for a plain placeholder): it stands for the
 * message of the key `prefix` + value.
 */
interface Template {
  locale: Locale;
  texts: string[];
  names: string[];
  nests: Array<string | null>;
  /** Whether the locale has plural forms of the key (`key_one`, `key_other`, …): then a count goes to i18next. */
  plural: boolean;
}

const PLURAL_SUFFIXES = ['zero', 'one', 'two', 'few', 'many', 'other'];

/** `$t(prefix{{name}})` (group 1 the prefix, 2 the name) or `{{name}}` (group 3). */
const PLACEHOLDER =
  /\$t\(([A-Za-z0-9_.]*)\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}\)|\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/** A message that is plain text: no placeholder and no nesting. */
const plainMessage = (locale: Locale, key: string): string | undefined => {
  const message: unknown = instance.getResource(locale, 'translation', key);
  return typeof message === 'string' && !message.includes('{{') && !message.includes('$t(')
    ? message
    : undefined;
};

/**
 * The message of a key as a template, or null when i18next must answer it: a missing key or one that is not a
 * string, a nesting of another form than `$t(prefix.{{name}})`, or any placeholder other than a plain `{{name}}`
 * (formats, `{{- name}}`, paths).
 */
function templateOf(locale: Locale, key: string): Template | null {
  const message: unknown = instance.getResource(locale, 'translation', key);
  if (typeof message !== 'string') return null;
  const texts: string[] = [];
  const names: string[] = [];
  const nests: Array<string | null> = [];
  let at = 0;
  for (const m of message.matchAll(PLACEHOLDER)) {
    texts.push(message.slice(at, m.index));
    names.push((m[2] ?? m[3]) as string);
    nests.push(m[2] !== undefined ? (m[1] as string) : null);
    at = (m.index as number) + m[0].length;
  }
  texts.push(message.slice(at));
  // A '{{' or '$t(' left in any text is a placeholder or a nesting of another form.
  if (texts.some((x) => x.includes('{{') || x.includes('$t('))) return null;
  const plural = PLURAL_SUFFIXES.some(
    (suffix) =>
      instance.getResource(locale, 'translation', `${key}_${suffix}`) !== undefined ||
      instance.getResource(locale, 'translation', `${key}_ordinal_${suffix}`) !== undefined,
  );
  return { locale, texts, names, nests, plural };
}

/** Options i18next reads itself (besides `count`): any of them leaves the message to i18next. */
const I18NEXT_OPTION =
  /^(context|defaultValue.*|replace|lngs?|fallbackLng|ns|keySeparator|nsSeparator|keyPrefix|returnObjects|returnDetails|joinArrays|postProcess|interpolation|skipInterpolation|ordinal|appendNamespaceTo.*)$/;

/**
 * The message filled with the values, as i18next would (interpolation without escaping; strings and numbers
 * as text; a nesting replaced by the plain message of its key; values no placeholder names are ignored), or
 * undefined when i18next must answer: an option i18next reads itself (context, defaults, …, or a count when the
 * key has plural forms, or a count that is not a number), a placeholder without a value, a value that is not a
 * string or a finite number, or a nested key without a plain message. A test holds every such message of both
 * locales to i18next's own answer.
 */
function filled(template: Template, values: Record<string, unknown>): string | undefined {
  const { texts, names, nests } = template;
  for (const k in values) {
    if (k === 'count') {
      if (template.plural || typeof values[k] !== 'number') return undefined;
    } else if (I18NEXT_OPTION.test(k)) return undefined;
  }
  let out = texts[0] as string;
  for (let i = 0; i < names.length; i++) {
    const v = values[names[i] as string];
    let text: string;
    if (typeof v === 'string') text = v;
    else if (typeof v === 'number' && Number.isFinite(v)) text = String(v);
    else return undefined;
    const prefix = nests[i];
    if (prefix !== null && prefix !== undefined) {
      const nested = plainMessage(template.locale, `${prefix}${text}`);
      if (nested === undefined) return undefined;
      text = nested;
    }
    out += text;
    out += texts[i + 1] as string;
  }
  return out;
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (const _ in value) return false;
  return true;
}

function remembering(fixed: TFunction, locale: Locale): Translate {
  const plain = new Map<string, unknown>();
  const templates = new Map<string, Template | null>();
  const call = fixed as unknown as (...args: unknown[]) => unknown;
  return ((key: unknown, options?: unknown, ...rest: unknown[]) => {
    if (typeof key === 'string' && rest.length === 0 && (options === undefined || isEmptyObject(options))) {
      const known = plain.get(key);
      if (known !== undefined) return known;
      const value = call(key);
      if (plain.size < 20_000) plain.set(key, value);
      return value;
    }
    if (typeof key === 'string' && rest.length === 0 && typeof options === 'object' && options !== null) {
      let template = templates.get(key);
      if (template === undefined) {
        template = templateOf(locale, key);
        if (templates.size < 20_000) templates.set(key, template);
      }
      if (template !== null) {
        const text = filled(template, options as Record<string, unknown>);
        if (text !== undefined) return text;
      }
    }
    return call(key, options, ...rest);
  }) as unknown as Translate;
}

/** For the test that holds the direct fill to i18next: the template of a key, and i18next's own translator. */
export const forTests = {
  templateOf,
  filled,
  i18next: (locale: Locale) => instance.getFixedT(locale) as unknown as (key: string, v?: object) => string,
};

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
