import type { Request } from 'express';
import type { RankPromotion } from '../../db/repositories/promotions.js';
import type { AvoidanceConflict, Seat } from '../../domain/candidates.js';
import { HORIZONS } from '../../domain/career.js';
import type { EligibilityResult } from '../../domain/eligibility/index.js';
import type { PoolUsage, RankPromotionState } from '../../domain/rankPromotion.js';
import { stepsOf } from '../../domain/rankPromotion.js';
import { paths } from '../../paths.js';
import { messenger, whenText } from '../careers/viewModels.js';
import type { Formatter } from '../format.js';

type Names = Parameters<typeof messenger>[1];

export function seatName(seat: Seat, f: Formatter): string {
  if (seat.kind === 'slot') return f.name(seat.nameZh, seat.nameEn);
  return f.t('promotions.unitHead', { unit: seat.unitName ?? '', post: seat.nameZh });
}

export function seatKindText(seat: Seat, f: Formatter): string {
  const rank = f.t(`promotions.ranks.${seat.rank}`);
  if (seat.kind === 'slot') return rank;
  return `${rank} · ${seat.unitKind ? f.t(`unitKinds.${seat.unitKind}`) : ''}`;
}

export function avoidanceText(c: AvoidanceConflict, f: Formatter): string {
  return f.t('promotions.avoidance', {
    leader: c.leaderName,
    role: f.t(`leadershipKinds.${c.role}`),
    relation: f.t(`relations.${c.relation}`),
  });
}

export function horizonLabel(h: string, f: Formatter): string {
  return f.t(`promotions.horizons.${h}`);
}

/** One candidate row: name (linking to the career path), where, from when, and why not (each reason). */
export function candidateRows(
  entries: Array<{
    person: {
      personId: number;
      name: string;
      townshipName?: string;
      postName: string | null;
      unitName: string | null;
    };
    result: EligibilityResult;
    avoidance: AvoidanceConflict[];
  }>,
  req: Request,
  names: Names,
  f: Formatter,
) {
  const m = messenger(req, names);
  return entries.map((e) => ({
    personId: e.person.personId,
    name: e.person.name,
    href: paths.careers.person(e.person.personId),
    where: [e.person.townshipName, e.person.unitName, e.person.postName].filter(Boolean).join(' '),
    from: e.result.eligible
      ? f.t('promotions.eligibleNow')
      : e.result.eligibleFrom
        ? whenText(e.result.eligibleFrom, f)
        : f.t('promotions.noDate'),
    reasons: [...e.avoidance.map((c) => avoidanceText(c, f)), ...e.result.blocks.map((b) => m.text(b))],
    warnings: e.result.warnings.map((w) => m.text(w)),
  }));
}

export function horizonsView<E>(horizons: Record<string, E[]>, rows: (list: E[]) => unknown[], f: Formatter) {
  return HORIZONS.map((h) => ({
    key: h,
    id: `horizon-${h}`,
    label: horizonLabel(h, f),
    rows: rows(horizons[h] ?? []),
    count: (horizons[h] ?? []).length,
    showReason: h !== 'now',
  }));
}

export function usageView(u: PoolUsage) {
  return { ...u, vacant: u.approved - u.held - u.inProcess, full: u.held + u.inProcess >= u.approved };
}

export function stateText(state: RankPromotionState | string, f: Formatter) {
  return f.t(`promotions.states.${state}`);
}

export function promotionRow(p: RankPromotion, f: Formatter, gradeName: (code: string) => string) {
  return {
    id: p.id,
    href: paths.promotions.rank(p.id),
    name: p.personName,
    township: p.townshipName ?? '',
    from: p.fromGrade ? gradeName(p.fromGrade) : '',
    target: gradeName(p.targetGrade),
    state: stateText(p.state, f),
    stateCss: `tag tag--state-${p.state}`,
    path: f.t(`promotions.paths.${p.path}`),
    publicityEnd: p.publicityEnd ? f.date(p.publicityEnd) : '',
    updated: f.date(p.updatedAt.toISOString().slice(0, 10)),
  };
}

export function progressOf(p: RankPromotion, f: Formatter) {
  const steps = stepsOf(p.path);
  const at = steps.indexOf(p.state as RankPromotionState);
  return steps.map((s, i) => ({
    label: stateText(s, f),
    done: at >= 0 && i < at,
    current: i === at,
  }));
}
