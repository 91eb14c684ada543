import type { Request } from 'express';
import type { Services } from '../../container.js';
import type { CasePerson, CaseStep, PromotionCase } from '../../db/repositories/promotionCases.js';
import { addDays } from '../../domain/dates.js';
import type { CaseAction } from '../../domain/promotionCase.js';
import { stateTag } from '../../domain/promotionCase.js';
import { paths } from '../../paths.js';
import { formatterFor } from '../format.js';
import { newFormKey } from '../formFlow.js';

type CaseData = Awaited<ReturnType<Services['promotionCases']['get']>>;

/** What each step's form asks for (the template draws the fields from these flags). */
const FORM_FIELDS: Record<CaseAction, string[]> = {
  recommend: ['participants', 'nominees', 'comment', 'docNo', 'attachments'],
  fix_candidates: ['candidateIds', 'comment', 'docNo', 'attachments'],
  inspect: ['comment', 'docNo', 'attachments'],
  decide: ['appointeeId', 'members', 'present', 'inFavour', 'docNo', 'comment', 'attachments'],
  start_publicity: ['startOn', 'comment', 'docNo'],
  object: ['comment', 'attachments'],
  resolve: ['outcome', 'comment', 'docNo', 'attachments'],
  appoint: ['on', 'docNo', 'comment'],
  confirm: ['on', 'docNo', 'comment'],
  revert: ['on', 'docNo', 'comment'],
  return: ['comment'],
  withdraw: ['comment'],
  opinion: ['on', 'docNo', 'opinionText'],
};

/** The case page: facts, people (votes as information, in surname-stroke order), timeline and step forms. */
export function caseView(
  req: Request,
  data: CaseData,
  townshipPeople: ReadonlyArray<{ id: number; name: string }>,
  today: string,
) {
  const f = formatterFor(req);
  const c = data.case;
  const seat = c.unitName ? `${c.unitName}${c.postName}` : c.postName;
  const candidates = data.people.filter((p) => p.candidate);
  const facts = [
    { label: req.t('promotionCases.township'), value: c.townshipName },
    { label: req.t('promotionCases.seat'), value: seat },
    { label: req.t('promotionCases.level'), value: req.t(`promotionCases.levels.${c.targetLevel}`) },
    { label: req.t('promotionCases.reason'), value: c.reason },
    ...(c.proposedRemoval
      ? [{ label: req.t('promotionCases.proposedRemoval'), value: c.proposedRemoval }]
      : []),
    ...(c.dispatched
      ? [{ label: req.t('promotionCases.dispatched'), value: req.t('promotionCases.dispatchedHint') }]
      : []),
    ...(c.appointeeName
      ? [
          {
            label: req.t('promotionCases.appointee'),
            value: c.appointeeName,
            href: paths.person(c.appointeePersonId as number),
          },
        ]
      : []),
    ...(c.publicityStartsOn
      ? [
          {
            label: req.t('promotionCases.publicity'),
            value: req.t('promotionCases.publicityPeriod', {
              from: f.date(c.publicityStartsOn),
              to: f.date(c.publicityEndsOn),
            }),
          },
        ]
      : []),
    ...(c.appointedOn
      ? [
          {
            label: req.t('promotionCases.appointed'),
            value: `${f.date(c.appointedOn)} · ${c.appointmentDocNo ?? ''}`,
          },
          {
            label: req.t('promotionCases.probation'),
            value: req.t('promotionCases.probationUntil', { until: f.date(c.probationUntil) }),
          },
        ]
      : []),
  ];
  const defaults: Record<string, string> = {
    on:
      c.state === 'publicity' && c.publicityEndsOn && today <= c.publicityEndsOn
        ? addDays(c.publicityEndsOn, 1)
        : today,
    startOn: today,
  };
  const forms = data.actions.map((action) => {
    const fields = FORM_FIELDS[action];
    const has = Object.fromEntries(fields.map((x) => [x, true]));
    return {
      action,
      id: action,
      heading: req.t(`promotionCases.actions.${action}`),
      intro: req.t(`promotionCases.hints.${action}`),
      submit: req.t(`promotionCases.submits.${action}`),
      secondary: action === 'return' || action === 'withdraw' || action === 'object' || action === 'revert',
      has,
      commentLabel: req.t(`promotionCases.commentLabels.${action}`),
      nominees: has.nominees
        ? townshipPeople.map((p) => ({ id: p.id, name: p.name, field: `votes_${p.id}` }))
        : [],
      candidates: has.candidateIds
        ? data.people.map((p) => ({ id: p.personId, name: p.name, votes: p.votes }))
        : [],
      appointees: has.appointeeId ? candidates.map((p) => ({ id: p.personId, name: p.name })) : [],
      values: { on: defaults.on, startOn: defaults.startOn } as Record<string, string>,
      errors: {} as Record<string, string>,
      open: false,
    };
  });
  return {
    heading: req.t('promotionCases.caseHeading', { township: c.townshipName, seat }),
    state: req.t(`promotionCases.states.${c.state}`),
    stateCss: stateTag(c.state),
    facts,
    version: c.version,
    formKey: newFormKey(),
    stepAction: paths.promotionCases.steps(c.id),
    people: peopleRows(data.people),
    hasVotes: data.people.some((p) => p.votes !== null),
    opinion: data.opinion
      ? { givenOn: f.date(data.opinion.givenOn), docNo: data.opinion.docNo, text: data.opinion.text }
      : null,
    needsOpinion: c.dispatched,
    steps: data.steps.map((s) => stepRow(req, s)),
    forms,
    noticeHref: c.publicityStartsOn && c.appointeePersonId ? paths.promotionCases.notice(c.id) : null,
    appointmentFormHref: c.appointeePersonId
      ? paths.resume.appointmentForm(
          c.appointeePersonId,
          new URLSearchParams({
            proposedPost: `${c.townshipName}${seat}`,
            proposedRemoval: c.proposedRemoval,
            reason: c.reason,
          }).toString(),
        )
      : null,
    backHref: paths.promotionCases.list(),
  };
}

function peopleRows(people: readonly CasePerson[]) {
  return people.map((p) => ({
    name: p.name,
    votes: p.votes ?? '',
    candidate: p.candidate,
    href: paths.person(p.personId),
  }));
}

function stepRow(req: Request, s: CaseStep) {
  const f = formatterFor(req);
  const d = s.details as Record<string, unknown>;
  const extra: string[] = [];
  if (Array.isArray(d.votes))
    extra.push(
      req.t('promotionCases.timeline.votes', {
        participants: d.participants ?? '—',
        count: (d.votes as unknown[]).length,
      }),
    );
  if (d.vote && typeof d.vote === 'object') {
    const v = d.vote as { members: number; present: number; inFavour: number };
    extra.push(req.t('promotionCases.timeline.vote', { ...v, appointee: d.appointee ?? '' }));
  }
  if (typeof d.endsOn === 'string')
    extra.push(
      req.t('promotionCases.timeline.publicity', {
        from: f.date(d.startsOn as string),
        to: f.date(d.endsOn),
      }),
    );
  if (typeof d.outcome === 'string') extra.push(req.t(`promotionCases.outcomes.${d.outcome}`));
  if (typeof d.probationUntil === 'string')
    extra.push(req.t('promotionCases.probationUntil', { until: f.date(d.probationUntil) }));
  return {
    at: f.date(s.actedOn),
    action: req.t(`promotionCases.actions.${s.action}`),
    actor: s.actorName,
    side: req.t(`promotionCases.sides.${s.side}`),
    comment: s.comment,
    docNo: s.docNo ?? '',
    attachments: s.attachments.join('、'),
    extra: extra.join('；'),
  };
}

/** The 任前公示 notice: printable, and the same words as text to paste into a notice board or a site. */
export async function noticeView(req: Request, services: Services, c: PromotionCase) {
  const person = await services.people
    .record({ ...(req.scope as NonNullable<Request['scope']>) }, c.appointeePersonId as number)
    .catch(() => null);
  const f = formatterFor(req);
  const seat = c.unitName ? `${c.unitName}${c.postName}` : c.postName;
  const vars = {
    name: c.appointeeName ?? '',
    township: c.townshipName,
    seat,
    from: f.date(c.publicityStartsOn),
    to: f.date(c.publicityEndsOn),
    gender: person ? req.t(`genders.${person.person.gender}`, { defaultValue: '' }) : '',
    birth: person ? f.month(person.person.birthDate) : '',
  };
  const lines = [
    req.t('promotionCases.notice.lead'),
    req.t('promotionCases.notice.person', vars),
    req.t('promotionCases.notice.period', vars),
    req.t('promotionCases.notice.contact'),
  ];
  return {
    heading: req.t('promotionCases.notice.heading'),
    lines,
    text: lines.join('\n\n'),
    issuer: req.t('promotionCases.notice.issuer'),
    date: f.date(c.publicityStartsOn),
  };
}
