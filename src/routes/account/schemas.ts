import { z } from 'zod';
import { isValidDate } from '../../domain/idNumber.js';

export const passwordSchema = z
  .object({
    currentPassword: z
      .string({ error: 'account.errors.currentRequired' })
      .min(1, { error: 'account.errors.currentRequired' })
      .max(200, { error: 'account.errors.currentRequired' }),
    newPassword: z
      .string({ error: 'account.errors.newRequired' })
      .min(1, { error: 'account.errors.newRequired' }),
    confirmPassword: z
      .string({ error: 'account.errors.confirmRequired' })
      .min(1, { error: 'account.errors.confirmRequired' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    error: 'account.errors.confirmMismatch',
  });

export const tokenSchema = (today: string) =>
  z.object({
    name: z
      .string({ error: 'account.errors.tokenNameRequired' })
      .trim()
      .min(1, { error: 'account.errors.tokenNameRequired' })
      .max(60, { error: 'account.errors.tokenNameTooLong' }),
    expiresOn: z
      .string({ error: 'account.errors.expiresInvalid' })
      .trim()
      .refine((v) => v === '' || isValidDate(v), { error: 'account.errors.expiresInvalid' })
      .refine((v) => v === '' || v > today, { error: 'account.errors.expiresPast' })
      .transform((v) => (v === '' ? null : v)),
  });
