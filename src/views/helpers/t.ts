import type { HelperOptions } from 'handlebars';
import type { Locale } from '../../domain/dates.js';
import { translator } from '../../i18n.js';

/** {{t "key" name=value}}: the message in the page's language (from the root context's `locale`). */
export function t(key: unknown, options: HelperOptions): string {
  const locale = (options.data?.root?.locale as Locale | undefined) ?? 'zh-CN';
  return String(translator(locale)(String(key), options.hash ?? {}));
}
