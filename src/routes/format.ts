import type { Request } from 'express';
import { ageOn, formatDate, formatMonth } from '../domain/dates.js';
import type { UsageStatus } from '../domain/quota.js';

/** Display helpers bound to the request's language, for view models only. */
export function formatterFor(req: Request) {
  const zh = req.locale === 'zh-CN';
  return {
    month: (iso: string | null | undefined) => formatMonth(iso, req.locale),
    date: (iso: string | null | undefined) => formatDate(iso, req.locale),
    /** `2019.07--2021.03` or `2019.07--` for an open period (the end is exclusive: the month it ended). */
    period: (from: string, to: string | null) =>
      `${formatMonth(from, req.locale)}--${to ? formatMonth(to, req.locale) : ''}`,
    age: (birthDate: string, on: string) => ageOn(birthDate, on),
    /** `1985.06（41岁）` / `1985-06 (age 41)` */
    monthWithAge: (birthDate: string, on: string) =>
      req.t('person.monthWithAge', { month: formatMonth(birthDate, req.locale), age: ageOn(birthDate, on) }),
    name: (zhName: string, enName: string) => (zh ? zhName : enName),
    label: (group: string, code: string | null | undefined) => (code ? req.t(`${group}.${code}`) : ''),
    status: (status: UsageStatus) => ({ text: req.t(`usageStatus.${status}`), css: `tag tag--${status}` }),
    /** Leadership posts: 有空缺 / 配满 / 超配, with the same colours as quota. */
    slotStatus: (status: UsageStatus) => ({
      text: req.t(`leadershipStatus.${status}`),
      css: `tag tag--${status}`,
    }),
    number: (n: number) => n.toLocaleString(zh ? 'zh-CN' : 'en'),
    t: (key: string, vars: Record<string, unknown> = {}) => String(req.t(key, vars)),
  };
}

export type Formatter = ReturnType<typeof formatterFor>;
