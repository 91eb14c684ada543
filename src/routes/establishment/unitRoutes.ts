import { type Request, Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { assertCan } from '../../services/access.js';
import { contextOf, scopeOf } from '../actor.js';
import { formatterFor } from '../format.js';
import { newFormKey, runFormFlow, translatedVars } from '../formFlow.js';
import { errorsByField, type FieldError, fieldError, idParam, pageTitle, parseForm } from '../forms.js';
import { can } from './permissions.js';
import { abolishUnitSchema, changeUnitSchema, establishUnitSchema, reorganiseSchema } from './schemas.js';

/** Unit decisions of the establishment office: establish, change (name, rank, nameplates, featured), abolish, merge, split. */
export function unitRouter(services: Services): Router {
  const router = Router();
  const { reads, decisions } = services.establishment;
  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError();
    return id;
  };
  const ranks = ['section_chief', 'deputy_section', 'stock', 'none'];

  router.all('/townships/:id/units/new', async (req, res) => {
    const townshipId = idOf(req);
    const township = await reads.visibleTownship(scopeOf(req), townshipId);
    assertCan(can.decideForCounty(req, township.parentId as number));
    const departments = await reads.departmentsOfCounty(township.parentId as number);
    const f = formatterFor(req);
    const render = (values: Record<string, string | string[]>, errors: FieldError[], status: number) =>
      res.status(status).render('establishment/unitForm', {
        title: pageTitle(req, 'unitForm.newTitle', errors),
        heading: req.t('unitForm.newTitle'),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        township: township.name,
        establish: true,
        kinds: ['office', 'station', 'dispatched'].map((k) => ({
          code: k,
          label: f.label('unitKinds', k),
          selected: k === values.kind,
        })),
        ranks: ranks.map((r) => ({ code: r, label: f.label('unitRanks', r), selected: r === values.rank })),
        departments: departments.map((d) => ({
          id: String(d.id),
          name: d.name,
          selected: String(d.id) === values.departmentId,
        })),
        backHref: paths.unitDecisions(townshipId),
      });
    if (req.method === 'GET') {
      return render(
        {
          kind: 'station',
          name: '',
          aliasNames: '',
          rank: 'stock',
          featured: '',
          departmentId: '',
          effectiveOn: services.clock.today(),
          docNo: '',
          summary: '',
          formKey: newFormKey(),
        },
        [],
        200,
      );
    }
    if (req.method !== 'POST') throw new NotFoundError();
    await runFormFlow(req, res, {
      schema: establishUnitSchema,
      fields: [
        'kind',
        'name',
        'aliasNames',
        'rank',
        'featured',
        'departmentId',
        'effectiveOn',
        'docNo',
        'summary',
      ],
      renderForm: render,
      checkTitle: req.t('unitForm.checkTitle'),
      checkRows: (d) => [
        { label: req.t('slotForm.township'), value: township.name },
        { label: req.t('unit.kind'), value: f.label('unitKinds', d.kind) },
        { label: req.t('unit.name'), value: d.name },
        { label: req.t('unitForm.aliasNames'), value: d.aliasNames.join('、') || '—' },
        { label: req.t('unit.rank'), value: f.label('unitRanks', d.rank) },
        { label: req.t('unit.featured'), value: d.featured ? req.t('common.yes') : req.t('common.no') },
        ...(d.kind === 'dispatched'
          ? [
              {
                label: req.t('unit.department'),
                value: departments.find((x) => x.id === d.departmentId)?.name ?? '—',
              },
            ]
          : []),
        { label: req.t('forms.effectiveFrom'), value: f.date(d.effectiveOn) },
        { label: req.t('forms.docNo'), value: d.docNo },
      ],
      commit: (d) => decisions.establishUnit(contextOf(req), { ...d, townshipId }),
      done: () => {
        req.session.flash = { kind: 'success', key: 'unitForm.established' };
        res.redirect(303, paths.unitDecisions(townshipId));
      },
    });
  });

  router.all('/units/:id/change', async (req, res) => {
    const unitId = idOf(req);
    const unit = await reads.visibleUnit(scopeOf(req), unitId);
    const township = await reads.visibleTownship(scopeOf(req), unit.townshipId);
    assertCan(can.decideForCounty(req, township.parentId as number));
    const f = formatterFor(req);
    const render = (values: Record<string, string | string[]>, errors: FieldError[], status: number) =>
      res.status(status).render('establishment/unitForm', {
        title: pageTitle(req, 'unitForm.changeTitle', errors),
        heading: req.t('unitForm.changeTitle'),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        township: township.name,
        unitName: unit.name,
        change: true,
        changes: ['rename', 'change_rank', 'set_aliases', 'set_featured'].map((c) => ({
          code: c,
          label: req.t(`unitDecisionKinds.${c}`),
          checked: c === values.change,
        })),
        ranks: ranks.map((r) => ({ code: r, label: f.label('unitRanks', r), selected: r === values.rank })),
        backHref: paths.unit(unitId),
      });
    if (req.method === 'GET') {
      return render(
        {
          change: '',
          name: unit.name,
          rank: unit.rank,
          aliasNames: unit.aliasNames.join('、'),
          featured: unit.featured ? '1' : '',
          effectiveOn: services.clock.today(),
          docNo: '',
          summary: '',
          formKey: newFormKey(),
        },
        [],
        200,
      );
    }
    if (req.method !== 'POST') throw new NotFoundError();
    await runFormFlow(req, res, {
      schema: changeUnitSchema,
      fields: ['change', 'name', 'rank', 'aliasNames', 'featured', 'effectiveOn', 'docNo', 'summary'],
      renderForm: render,
      checkTitle: req.t('unitForm.checkTitle'),
      checkRows: (d) => [
        { label: req.t('unit.name'), value: unit.name },
        { label: req.t('unitForm.change'), value: req.t(`unitDecisionKinds.${d.change}`) },
        {
          label: req.t('unitForm.newValue'),
          value:
            d.change === 'rename'
              ? (d.name ?? '')
              : d.change === 'change_rank'
                ? f.label('unitRanks', d.rank)
                : d.change === 'set_aliases'
                  ? d.aliasNames.join('、') || '—'
                  : d.featured
                    ? req.t('common.yes')
                    : req.t('common.no'),
        },
        { label: req.t('forms.effectiveFrom'), value: f.date(d.effectiveOn) },
        { label: req.t('forms.docNo'), value: d.docNo },
      ],
      commit: (d) =>
        decisions.changeUnit(
          contextOf(req),
          unitId,
          d.change === 'rename'
            ? { kind: 'rename', name: d.name ?? '' }
            : d.change === 'change_rank'
              ? { kind: 'change_rank', rank: d.rank ?? 'none' }
              : d.change === 'set_aliases'
                ? { kind: 'set_aliases', aliasNames: d.aliasNames }
                : { kind: 'set_featured', featured: d.featured },
          d,
        ),
      done: () => {
        req.session.flash = { kind: 'success', key: 'unitForm.changed' };
        res.redirect(303, paths.unitDecisions(unit.townshipId));
      },
    });
  });

  router.all('/units/:id/abolish', async (req, res) => {
    const unitId = idOf(req);
    const unit = await reads.visibleUnit(scopeOf(req), unitId);
    const township = await reads.visibleTownship(scopeOf(req), unit.townshipId);
    assertCan(can.decideForCounty(req, township.parentId as number));
    const f = formatterFor(req);
    const render = (values: Record<string, string | string[]>, errors: FieldError[], status: number) =>
      res.status(status).render('establishment/unitForm', {
        title: pageTitle(req, 'unitForm.abolishTitle', errors),
        heading: req.t('unitForm.abolishTitle'),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        township: township.name,
        unitName: unit.name,
        abolish: true,
        backHref: paths.unit(unitId),
      });
    if (req.method === 'GET') {
      return render(
        { effectiveOn: services.clock.today(), docNo: '', summary: '', formKey: newFormKey() },
        [],
        200,
      );
    }
    if (req.method !== 'POST') throw new NotFoundError();
    await runFormFlow(req, res, {
      schema: abolishUnitSchema,
      fields: ['effectiveOn', 'docNo', 'summary'],
      renderForm: render,
      checkTitle: req.t('unitForm.checkTitle'),
      checkRows: (d) => [
        { label: req.t('unit.name'), value: unit.name },
        { label: req.t('unitForm.change'), value: req.t('unitDecisionKinds.abolish') },
        { label: req.t('forms.effectiveFrom'), value: f.date(d.effectiveOn) },
        { label: req.t('forms.docNo'), value: d.docNo },
      ],
      commit: (d) => decisions.abolishUnit(contextOf(req), unitId, d),
      done: () => {
        req.session.flash = { kind: 'success', key: 'unitForm.abolished' };
        res.redirect(303, paths.unitDecisions(unit.townshipId));
      },
    });
  });

  /**
   * Merge and split on one page: every open post of the township's units with a "move to" choice; units to
   * abolish are ticked. Merging = moving all posts of the sources to the target and abolishing the sources.
   */
  router.all('/townships/:id/reorganise', async (req, res) => {
    const townshipId = idOf(req);
    const township = await reads.visibleTownship(scopeOf(req), townshipId);
    assertCan(can.decideForCounty(req, township.parentId as number));
    const today = services.clock.today();
    const chart = await reads.orgChart(scopeOf(req), townshipId, today);
    const f = formatterFor(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const render = (values: Record<string, string | string[]>, errors: FieldError[], status: number) =>
      res.status(status).render('establishment/reorganiseForm', {
        title: pageTitle(req, 'reorganiseForm.title', errors),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        township: township.name,
        kinds: ['merge', 'split'].map((k) => ({
          code: k,
          label: req.t(`unitDecisionKinds.${k}`),
          checked: k === values.kind,
        })),
        units: chart.units
          .filter((u) => u.unit.kind !== 'dispatched')
          .map((u) => ({
            id: u.unit.id,
            name: u.unit.name,
            abolish: Array.isArray(values.abolish)
              ? values.abolish.includes(String(u.unit.id))
              : values.abolish === String(u.unit.id),
            posts: u.posts.map((p) => ({
              id: p.id,
              name: p.name,
              holder: p.holder?.name ?? req.t('post.vacant'),
              field: `move_${p.id}`,
              options: chart.units
                .filter((x) => x.unit.kind !== 'dispatched' && x.unit.id !== u.unit.id)
                .map((x) => ({
                  id: String(x.unit.id),
                  name: x.unit.name,
                  selected: values[`move_${p.id}`] === String(x.unit.id),
                })),
            })),
          })),
        backHref: paths.unitDecisions(townshipId),
      });
    const moveFields = chart.units.flatMap((u) => u.posts.map((p) => `move_${p.id}`));
    const readValues = () => {
      const values: Record<string, string | string[]> = {};
      for (const k of ['kind', 'effectiveOn', 'docNo', 'summary', 'formKey', ...moveFields]) {
        values[k] = typeof body[k] === 'string' ? (body[k] as string).slice(0, 200) : '';
      }
      const abolish = body.abolish;
      values.abolish = Array.isArray(abolish)
        ? abolish.map(String)
        : typeof abolish === 'string'
          ? [abolish]
          : [];
      return values;
    };
    if (req.method === 'GET') {
      return render(
        { kind: 'merge', effectiveOn: today, docNo: '', summary: '', formKey: newFormKey(), abolish: [] },
        [],
        200,
      );
    }
    if (req.method !== 'POST') throw new NotFoundError();
    const values = readValues();
    if (!values.formKey) values.formKey = newFormKey();
    const parsed = parseForm(reorganiseSchema, body, req);
    if (!parsed.ok) return render(values, parsed.errors, 400);
    const moves = moveFields
      .filter((k) => /^[1-9]\d*$/.test(String(values[k])))
      .map((k) => ({ postId: Number(k.slice(5)), toUnitId: Number(values[k]) }));
    const abolishUnitIds = (values.abolish as string[]).filter((x) => /^[1-9]\d*$/.test(x)).map(Number);
    if (moves.length === 0)
      return render(values, [fieldError(req, 'moves', 'refusals.nothing_to_move')], 400);
    if (body.confirm !== '1') {
      const nameOfUnit = (id: number) => chart.units.find((u) => u.unit.id === id)?.unit.name ?? String(id);
      const postName = (id: number) => {
        for (const u of chart.units) {
          const p = u.posts.find((x) => x.id === id);
          if (p) return `${u.unit.name} ${p.name}${p.holder ? `（${p.holder.name}）` : ''}`;
        }
        return String(id);
      };
      return res.render('forms/check', {
        title: req.t('reorganiseForm.checkTitle'),
        rows: [
          { label: req.t('unitForm.change'), value: req.t(`unitDecisionKinds.${parsed.data.kind}`) },
          ...moves.map((m) => ({ label: postName(m.postId), value: `→ ${nameOfUnit(m.toUnitId)}` })),
          { label: req.t('reorganiseForm.abolish'), value: abolishUnitIds.map(nameOfUnit).join('、') || '—' },
          { label: req.t('forms.effectiveFrom'), value: f.date(parsed.data.effectiveOn) },
          { label: req.t('forms.docNo'), value: parsed.data.docNo },
        ],
        hidden: Object.entries(values).flatMap(([name, v]) =>
          Array.isArray(v) ? v.map((value) => ({ name, value })) : [{ name, value: v }],
        ),
        action: req.originalUrl,
      });
    }
    const result = await decisions.reorganise(contextOf(req), {
      ...parsed.data,
      townshipId,
      moves,
      abolishUnitIds,
    });
    if (!result.ok) {
      return render(
        values,
        [fieldError(req, result.field, `refusals.${result.code}`, translatedVars(req, result.vars ?? {}))],
        409,
      );
    }
    req.session.flash = {
      kind: 'success',
      key: 'reorganiseForm.done',
      vars: { moved: String(result.value.moved) },
    };
    res.redirect(303, paths.unitDecisions(townshipId));
  });

  return router;
}
