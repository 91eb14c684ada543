import { z } from 'zod';
import { LOCALES } from '../../i18n.js';

export const loginSchema = z.object({
  username: z
    .string({ error: 'login.errors.usernameRequired' })
    .trim()
    .min(1, { error: 'login.errors.usernameRequired' })
    .max(40, { error: 'login.errors.usernameTooLong' }),
  password: z
    .string({ error: 'login.errors.passwordRequired' })
    .min(1, { error: 'login.errors.passwordRequired' })
    .max(200, { error: 'login.errors.passwordTooLong' }),
  returnTo: z.string().optional(),
});

export const localeSchema = z.object({
  locale: z.enum(LOCALES as ['zh-CN', 'en'], { error: 'locale.errors.choose' }),
  returnTo: z.string().optional(),
});
