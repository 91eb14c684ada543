import { type RequestHandler, Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { contextOf } from '../actor.js';
import { formatterFor } from '../format.js';
import { movementRowView } from '../movements/viewModels.js';

/**
 * The user's inbox (`/inbox`): requests waiting for their decision, requests returned to them, overdue
 * secondments, temporary leadership slots to write off, quota over, and the sections other areas register.
 * Staff have none (404).
 */
export function inboxRouter(services: Services): Router {
  const router = Router();

  router.get(paths.inbox(), async (req, res) => {
    const sections = await services.inbox.sections(contextOf(req));
    if (!sections) throw new NotFoundError('page');
    const f = formatterFor(req);
    const { today } = sections;
    const awaiting = sections.awaiting.map((m) => {
      const u = m.destination?.usage;
      return {
        ...movementRowView(m, f, today),
        waiting: req.t(`approvers.${m.chain[m.stage]}`),
        quotaAfter: u
          ? req.t('inbox.quotaAfter', {
              holder: m.destination?.holderName,
              type: f.label('establishmentTypes', m.destination?.type),
              approved: u.approved,
              after: u.occupied + u.reserved + 1,
            })
          : '',
        quotaOver: u ? u.occupied + u.reserved + 1 > u.approved : false,
      };
    });
    const extra = sections.extra.map((s) => ({
      key: s.key,
      heading: req.t(s.headingKey),
      count: s.items.length,
      rows: [...s.items]
        .sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.due ?? '').localeCompare(b.due ?? ''))
        .map((e) => ({
          href: e.href,
          text: req.t(e.messageKey, e.vars),
          due: e.due ? f.date(e.due) : '',
          overdue: e.overdue,
        })),
    }));
    const total =
      awaiting.length +
      sections.returned.length +
      sections.secondments.length +
      sections.slots.length +
      sections.over.length +
      extra.reduce((n, s) => n + s.count, 0);
    res.render('inbox/index', {
      title: req.t('inbox.title'),
      total,
      awaiting,
      returned: sections.returned.map((m) => movementRowView(m, f, today)),
      secondments: sections.secondments.map((s) => ({
        href: paths.person(s.personId),
        name: s.name,
        home: s.homeTownship ?? '',
        destination: `${s.destination} ${s.postName}`,
        since: f.date(s.since),
        plannedUntil: f.date(s.plannedUntil),
        days: Math.round((Date.parse(today) - Date.parse(s.plannedUntil)) / 86_400_000),
      })),
      slots: sections.slots.map((s) => ({
        href: paths.leadership(s.townshipId),
        township: s.townshipName,
        kind: f.name(s.nameZh, s.nameEn),
        writeOffOn: f.date(s.writeOffOn),
        past: s.writeOffOn <= today,
        holders: s.holders,
      })),
      over: sections.over.map((o) => ({
        href: o.townshipId ? paths.establishment(o.townshipId) : paths.county(o.countyId as number),
        holder: o.holderName,
        type: f.label('establishmentTypes', o.establishmentType),
        approved: o.approved,
        occupied: o.occupied,
        reserved: o.reserved,
        over: o.occupied + o.reserved - o.approved,
      })),
      extra,
    });
  });

  return router;
}

/**
 * Puts the number of things waiting into the header's 待办 link on every page a signed-in user opens
 * (HTML GETs only; print views and downloads skip it).
 */
export function inboxBadge(services: Services): RequestHandler {
  return async (req, res, next) => {
    const nav = res.locals.user?.nav as Array<{ href: string; badge?: number }> | undefined;
    const item = nav?.find((n) => n.href === paths.inbox());
    if (req.method !== 'GET' || !item || req.query.print !== undefined || req.query.format !== undefined)
      return next();
    item.badge = await services.inbox.count(contextOf(req));
    next();
  };
}
