import type { HelperOptions } from 'handlebars';

/** {{join list "、"}}: a list of plain strings joined by a separator (escaped by Handlebars as usual). */
export function join(list: unknown, separator: unknown, _options?: HelperOptions): string {
  if (!Array.isArray(list)) return '';
  return list.map(String).join(typeof separator === 'string' ? separator : ', ');
}
