import type { Knex } from 'knex';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { type Actor, appendAudit } from '../../db/repositories/audit.js';
import * as digest from '../../db/repositories/digest.js';
import { loadPrincipal } from '../../db/repositories/users.js';
import type { Clock } from '../../domain/clock.js';
import { formatDate } from '../../domain/dates.js';
import { translator } from '../../i18n.js';
import { paths } from '../../paths.js';
import { refuse, type WriteResult, writeTransaction } from '../establishment/results.js';
import type { createInboxService } from './inboxService.js';

/**
 * The optional daily e-mail digest of each user's inbox (off unless SMTP_URL is set). One run per day for
 * the whole service: the instance that claims the day in `digest_runs` sends, the others skip. A user gets
 * a message only when something waits for them, in their own language, with links to act on.
 */
export function createDigestService(deps: {
  knex: Knex;
  clock: Clock;
  config: Config;
  logger: Logger;
  inbox: ReturnType<typeof createInboxService>;
}) {
  const { knex, clock, config, logger, inbox } = deps;
  const transport = config.mail ? nodemailer.createTransport(config.mail.smtpUrl) : null;

  async function messageFor(userId: number, email: string) {
    const loaded = await loadPrincipal(knex, userId, 'session');
    if (!loaded) return null;
    const { principal, scope } = loaded;
    const ctx = {
      principal,
      scope,
      actor: { userId, username: principal.username, requestId: 'digest' },
    };
    const sections = await inbox.sections(ctx);
    if (!sections) return null;
    const t = translator(principal.locale);
    const lines: Array<{ text: string; count: number }> = [
      { text: t('inbox.awaiting'), count: sections.awaiting.length },
      { text: t('inbox.returned'), count: sections.returned.length },
      ...sections.extra.map((s) => ({ text: t(s.headingKey), count: s.items.length })),
      { text: t('inbox.secondments'), count: sections.secondments.length },
      { text: t('inbox.slots'), count: sections.slots.length },
      { text: t('inbox.over'), count: sections.over.length },
    ].filter((l) => l.count > 0);
    const total = lines.reduce((n, l) => n + l.count, 0);
    if (total === 0) return null;
    const link = `${config.publicUrl}${paths.inbox()}`;
    const date = formatDate(sections.today, principal.locale);
    const subject = t('digest.subject', { count: total, date });
    const text = [
      t('digest.greeting', { name: principal.displayName }),
      '',
      t('digest.intro', { date }),
      ...lines.map((l) => `  · ${l.text}: ${l.count}`),
      '',
      t('digest.open', { link }),
      '',
      t('digest.footer'),
    ].join('\n');
    return { to: email, subject, text };
  }

  return {
    enabled: transport !== null,

    async settings(userId: number) {
      return digest.notificationSettings(knex, userId);
    },

    /** Sets the user's address and choice: one transaction, one audit entry. */
    async updateSettings(
      actor: Actor,
      input: digest.NotificationSettings,
    ): Promise<WriteResult<digest.NotificationSettings>> {
      if (input.digestEnabled && !input.email) return refuse('email', 'digest_needs_email');
      return writeTransaction(knex, async (trx) => {
        const before = await digest.notificationSettings(trx, actor.userId);
        await digest.updateNotificationSettings(trx, actor.userId, input);
        await appendAudit(trx, actor, {
          action: 'notifications.updated',
          entityType: 'user',
          entityId: actor.userId,
          before,
          after: input,
        });
        return { ok: true, value: input };
      });
    },

    /**
     * Sends today's digest if this instance is the first to claim the day. Returns what happened; a failed
     * message is logged and counted, never retried the same day.
     */
    async sendDaily(): Promise<{ claimed: boolean; sent: number; failed: number }> {
      if (!transport || !config.mail) return { claimed: false, sent: 0, failed: 0 };
      const day = clock.today();
      if (!(await digest.claimDigestDay(knex, day))) return { claimed: false, sent: 0, failed: 0 };
      let sent = 0;
      let failed = 0;
      for (const r of await digest.digestRecipients(knex)) {
        try {
          const message = await messageFor(r.id, r.email);
          if (!message) continue;
          await transport.sendMail({ from: config.mail.from, ...message });
          sent += 1;
        } catch (err) {
          failed += 1;
          logger.warn({ err, userId: r.id }, 'inbox digest not sent');
        }
      }
      await digest.finishDigestDay(knex, day, sent, failed);
      logger.info({ day, sent, failed }, 'inbox digest sent');
      return { claimed: true, sent, failed };
    },

    /** Checks every few minutes whether the digest hour has come (China Standard Time); stop() ends it. */
    schedule(): { stop: () => void } {
      if (!transport || !config.mail) return { stop: () => undefined };
      const hour = config.mail.digestHour;
      const tick = () => {
        const now = Number(
          new Intl.DateTimeFormat('en-GB', {
            timeZone: 'Asia/Shanghai',
            hour: '2-digit',
            hourCycle: 'h23',
          }).format(clock.now()),
        );
        if (now >= hour) void this.sendDaily().catch((err) => logger.error({ err }, 'inbox digest failed'));
      };
      const timer = setInterval(tick, 5 * 60_000);
      timer.unref();
      tick();
      return { stop: () => clearInterval(timer) };
    },
  };
}
