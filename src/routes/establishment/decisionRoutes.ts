import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import type * as quotaRepo from '../../db/repositories/quota.js';
import { ESTABLISHMENT_TYPES } from '../../domain/quota.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { assertCan } from '../../services/access.js';
import { workbookBuffer } from '../../services/export/xlsx.js';
import { contextOf, scopeOf } from '../actor.js';
import { formatterFor } from '../format.js';
import { newFormKey, runFormFlow } from '../formFlow.js';
import { errorsByField, type FieldError, idParam, pageTitle } from '../forms.js';
import { printHref, renderPage } from '../render.js';
import { can } from './permissions.js';
import { sendXlsx } from './router.js';
import { quotaDecisionSchema, slotDecisionSchema, totalDecisionSchema } from './schemas.js';
import { decisionCrumbs, townshipNav } from './viewModels.js';

/** Decision histories (quota, leadership slots, units) and the establishment office's forms to record them. */
export function decisionRouter(services: Services): Router {
  const router = Router();
  const { reads, decisions } = services.establishment;
  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError();
    return id;
  };
  const linked = (req: Request) => (id: number) => {
    const scope = scopeOf(req);
    return scope.all || scope.cityIds.has(id) || scope.countyIds.has(id) || scope.townshipIds.has(id);
  };
  const decisionNav = (townshipId: number, current: 'quota' | 'slots' | 'units', req: Request) =>
    (['quota', 'slots', 'units'] as const).map((k) => ({
      href:
        k === 'quota'
          ? paths.quotaDecisions(townshipId)
          : k === 'slots'
            ? paths.slotDecisions(townshipId)
            : paths.unitDecisions(townshipId),
      label: req.t(`decisions.nav.${k}`),
      current: k === current,
    }));

  const quotaRows = (
    req: Request,
    list: quotaRepo.QuotaDecision[],
    correctHref: ((id: number) => string) | null,
  ) => {
    const f = formatterFor(req);
    return list.map((d) => ({
      holder: d.holderName,
      type: f.label('establishmentTypes', d.establishmentType),
      count: d.approvedCount,
      change:
        d.previousCount === null
          ? ''
          : `${d.approvedCount - d.previousCount >= 0 ? '+' : ''}${d.approvedCount - d.previousCount}`,
      effective: f.date(d.effectiveFrom),
      future: d.effectiveFrom > services.clock.today(),
      docNo: d.docNo,
      summary: d.changeSummary,
      corrects: d.correctsId,
      correctedBy: d.correctedById,
      id: d.id,
      correctHref: correctHref && !d.correctedById ? correctHref(d.id) : null,
    }));
  };

  const quotaWorkbook = (
    req: Request,
    title: string,
    rows: ReturnType<typeof quotaRows>,
    withHolder: boolean,
  ) =>
    workbookBuffer([
      {
        name: req.t('decisions.nav.quota'),
        title,
        columns: [
          ...(withHolder ? [{ header: req.t('quotaForm.holder'), key: 'holder', width: 22 }] : []),
          { header: req.t('usage.type'), key: 'type', width: 18 },
          { header: req.t('quotaForm.approvedCount'), key: 'count', numeric: true, width: 12 },
          { header: req.t('decisions.change'), key: 'change', width: 8 },
          { header: req.t('forms.effectiveFrom'), key: 'effective', width: 12 },
          { header: req.t('forms.docNo'), key: 'docNo', width: 22 },
          { header: req.t('forms.changeSummary'), key: 'summary', width: 40 },
        ],
        rows: rows.map((r) => ({
          holder: r.holder,
          type: r.type,
          count: r.count,
          change: r.change,
          effective: r.effective,
          docNo: r.docNo,
          summary: `${r.summary}${r.correctedBy ? `（${req.t('decisions.corrected')}）` : ''}`,
        })),
      },
    ]);

  // Histories -------------------------------------------------------------------------------------------

  router.get('/townships/:id/quota-decisions', async (req, res) => {
    const id = idOf(req);
    const d = await reads.quotaHistory(scopeOf(req), id);
    const countyId = d.township.parentId as number;
    const rows = quotaRows(req, d.decisions, null);
    if (req.query.format === 'xlsx') {
      return sendXlsx(
        res,
        `${d.township.name}-${req.t('decisions.nav.quota')}.xlsx`,
        await quotaWorkbook(req, req.t('decisions.quotaTitle', { name: d.township.name }), rows, false),
      );
    }
    renderPage(req, res, 'establishment/quotaDecisions', {
      printHref: printHref(req),
      xlsxHref: '?format=xlsx',
      title: req.t('decisions.quotaTitle', { name: d.township.name }),
      heading: req.t('decisions.quotaTitle', { name: d.township.name }),
      crumbs: decisionCrumbs(d.path, linked(req)),
      nav: townshipNav(id, 'decisions', req.t),
      decisionNav: decisionNav(id, 'quota', req),
      rows: quotaRows(
        req,
        d.decisions,
        can.decideForCounty(req, countyId)
          ? (x) => `${paths.newQuotaDecision(countyId)}?corrects=${x}`
          : null,
      ),
      newHref:
        can.decideForCounty(req, countyId) && d.holder
          ? `${paths.newQuotaDecision(countyId)}?holder=${d.holder.id}`
          : null,
    });
  });

  router.get('/counties/:id/quota-decisions', async (req, res) => {
    const id = idOf(req);
    const scope = scopeOf(req);
    if (!(scope.all || scope.fullCountyIds.has(id))) throw new NotFoundError('county');
    const holders = await reads.holdersOfCounty(id);
    const list = await reads.quotaDecisionsOf(holders.map((h) => h.id));
    if (req.query.format === 'xlsx') {
      return sendXlsx(
        res,
        `${req.t('decisions.countyQuotaTitle')}.xlsx`,
        await quotaWorkbook(req, req.t('decisions.countyQuotaTitle'), quotaRows(req, list, null), true),
      );
    }
    renderPage(req, res, 'establishment/quotaDecisions', {
      printHref: printHref(req),
      xlsxHref: '?format=xlsx',
      title: req.t('decisions.countyQuotaTitle'),
      heading: req.t('decisions.countyQuotaTitle'),
      countyHref: paths.county(id),
      rows: quotaRows(
        req,
        list,
        can.decideForCounty(req, id) ? (x) => `${paths.newQuotaDecision(id)}?corrects=${x}` : null,
      ),
      newHref: can.decideForCounty(req, id) ? paths.newQuotaDecision(id) : null,
      showHolder: true,
    });
  });

  router.get('/townships/:id/slot-decisions', async (req, res) => {
    const id = idOf(req);
    const d = await reads.slotHistory(scopeOf(req), id);
    const f = formatterFor(req);
    const countyId = d.township.parentId as number;
    const mayDecide = can.decideForCounty(req, countyId);
    const rows = d.decisions.map((x) => ({
      kind: f.name(x.nameZh, x.nameEn),
      count: x.slotCount,
      rank: f.label('unitRanks', x.rank),
      flags: [
        x.counted ? req.t('slotForm.counted') : req.t('slotForm.notCounted'),
        ...(x.concurrentOnly ? [req.t('slotForm.concurrentOnly')] : []),
        ...(x.temporary ? [req.t('slotForm.temporaryUntil', { date: f.date(x.writeOffOn) })] : []),
      ].join('，'),
      effective: f.date(x.effectiveFrom),
      docNo: x.docNo,
      summary: x.changeSummary,
      corrects: x.correctsId,
      correctedBy: x.correctedById,
      id: x.id,
      correctHref: mayDecide && !x.correctedById ? `${paths.newSlotDecision(id)}?corrects=${x.id}` : null,
    }));
    if (req.query.format === 'xlsx') {
      const buffer = await workbookBuffer([
        {
          name: req.t('decisions.nav.slots'),
          title: req.t('decisions.slotTitle', { name: d.township.name }),
          columns: [
            { header: req.t('slotForm.kind'), key: 'kind', width: 28 },
            { header: req.t('slotForm.slotCount'), key: 'count', numeric: true, width: 10 },
            { header: req.t('slotForm.rank'), key: 'rank', width: 10 },
            { header: req.t('decisions.flags'), key: 'flags', width: 30 },
            { header: req.t('forms.effectiveFrom'), key: 'effective', width: 12 },
            { header: req.t('forms.docNo'), key: 'docNo', width: 22 },
            { header: req.t('forms.changeSummary'), key: 'summary', width: 30 },
          ],
          rows,
        },
      ]);
      return sendXlsx(res, `${d.township.name}-${req.t('decisions.nav.slots')}.xlsx`, buffer);
    }
    renderPage(req, res, 'establishment/slotDecisions', {
      xlsxHref: '?format=xlsx',
      printHref: printHref(req),
      title: req.t('decisions.slotTitle', { name: d.township.name }),
      crumbs: decisionCrumbs(d.path, linked(req)),
      nav: townshipNav(id, 'decisions', req.t),
      decisionNav: decisionNav(id, 'slots', req),
      name: d.township.name,
      totals: d.totals.map((x) => ({
        total: x.total,
        effective: f.date(x.effectiveFrom),
        docNo: x.docNo,
        summary: x.changeSummary,
        corrects: x.correctsId,
      })),
      rows,
      newHref: mayDecide ? paths.newSlotDecision(id) : null,
      newTotalHref: mayDecide ? paths.newTotalDecision(id) : null,
    });
  });

  router.get('/townships/:id/unit-decisions', async (req, res) => {
    const id = idOf(req);
    const d = await reads.unitHistory(scopeOf(req), id);
    const f = formatterFor(req);
    const mayDecide = can.decideForCounty(req, d.township.parentId as number);
    const rows = d.decisions.map((x) => ({
      kind: req.t(`unitDecisionKinds.${x.kind}`),
      effective: f.date(x.effectiveOn),
      future: x.effectiveOn > services.clock.today(),
      docNo: x.docNo,
      summary: x.summary,
      units: x.versions.map((v) => ({
        name: v.name,
        href: paths.unit(v.unitId),
        detail: [
          v.rank !== 'none' ? f.label('unitRanks', v.rank) : '',
          v.aliasNames.length ? `（${v.aliasNames.join('、')}）` : '',
          v.featured ? req.t('unit.featured') : '',
        ]
          .filter(Boolean)
          .join(' '),
        superseded: v.superseded,
      })),
    }));
    if (req.query.format === 'xlsx') {
      const buffer = await workbookBuffer([
        {
          name: req.t('decisions.nav.units'),
          title: req.t('decisions.unitTitle', { name: d.township.name }),
          columns: [
            { header: req.t('forms.effectiveFrom'), key: 'effective', width: 12 },
            { header: req.t('decisions.kind'), key: 'kind', width: 10 },
            { header: req.t('forms.docNo'), key: 'docNo', width: 22 },
            { header: req.t('forms.changeSummary'), key: 'summary', width: 30 },
            { header: req.t('decisions.units'), key: 'units', width: 50 },
          ],
          rows: rows.map((r) => ({
            effective: r.effective,
            kind: r.kind,
            docNo: r.docNo,
            summary: r.summary,
            units: r.units.map((u) => `${u.name}${u.detail ? ` ${u.detail}` : ''}`).join('、'),
          })),
        },
      ]);
      return sendXlsx(res, `${d.township.name}-${req.t('decisions.nav.units')}.xlsx`, buffer);
    }
    renderPage(req, res, 'establishment/unitDecisions', {
      xlsxHref: '?format=xlsx',
      printHref: printHref(req),
      title: req.t('decisions.unitTitle', { name: d.township.name }),
      crumbs: decisionCrumbs(d.path, linked(req)),
      nav: townshipNav(id, 'decisions', req.t),
      decisionNav: decisionNav(id, 'units', req),
      rows,
      newUnitHref: mayDecide ? paths.newUnit(id) : null,
      reorganiseHref: mayDecide ? paths.reorganise(id) : null,
    });
  });

  // Forms (编办) -------------------------------------------------------------------------------------------

  router.all('/counties/:id/quota-decisions/new', async (req, res) => {
    const countyId = idOf(req);
    const scope = scopeOf(req);
    if (!(scope.all || scope.fullCountyIds.has(countyId))) throw new NotFoundError('county');
    assertCan(can.decideForCounty(req, countyId));
    const holders = await reads.holdersOfCounty(countyId);
    const f = formatterFor(req);
    const render = async (
      values: Record<string, string | string[]>,
      errors: FieldError[],
      status: number,
    ) => {
      const holderId = Number(values.holderId) || null;
      const history = holderId ? await reads.quotaDecisionsOf([holderId]) : [];
      res.status(status).render('establishment/quotaDecisionForm', {
        title: pageTitle(req, 'quotaForm.title', errors),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        holders: holders.map((h) => ({
          id: String(h.id),
          name: h.name,
          selected: String(h.id) === values.holderId,
        })),
        types: ESTABLISHMENT_TYPES.map((t) => ({
          code: t,
          label: f.label('establishmentTypes', t),
          selected: t === values.establishmentType,
        })),
        corrections: history
          .filter((d) => !d.correctedById)
          .map((d) => ({
            id: String(d.id),
            label: `${f.date(d.effectiveFrom)} ${f.label('establishmentTypes', d.establishmentType)} ${d.approvedCount} ${d.docNo}`,
            selected: String(d.id) === values.correctsId,
          })),
        backHref: paths.countyQuotaDecisions(countyId),
      });
    };
    if (req.method === 'GET') {
      const values: Record<string, string> = {
        holderId: typeof req.query.holder === 'string' ? req.query.holder : '',
        establishmentType: '',
        approvedCount: '',
        effectiveFrom: services.clock.today(),
        docNo: '',
        changeSummary: '',
        correctsId: '',
        formKey: newFormKey(),
      };
      const correctsId = idParam(req.query.corrects);
      if (correctsId) {
        const wrong = await reads.quotaDecision(correctsId);
        if (wrong && holders.some((h) => h.id === wrong.holder_id)) {
          Object.assign(values, {
            holderId: String(wrong.holder_id),
            establishmentType: wrong.establishment_type,
            approvedCount: String(wrong.approved_count),
            effectiveFrom: wrong.effective_from,
            correctsId: String(correctsId),
            changeSummary: req.t('quotaForm.correctionOf', { docNo: wrong.doc_no }),
          });
        }
      }
      return render(values, [], 200);
    }
    if (req.method !== 'POST') throw new NotFoundError();
    await runFormFlow(req, res, {
      schema: quotaDecisionSchema,
      fields: [
        'holderId',
        'establishmentType',
        'approvedCount',
        'effectiveFrom',
        'docNo',
        'changeSummary',
        'correctsId',
      ],
      renderForm: render,
      checkTitle: req.t('quotaForm.checkTitle'),
      checkRows: async (d) => {
        const [usage] = await reads.usageOf(d.holderId, d.establishmentType, d.effectiveFrom);
        return [
          { label: req.t('quotaForm.holder'), value: holders.find((h) => h.id === d.holderId)?.name ?? '' },
          { label: req.t('usage.type'), value: f.label('establishmentTypes', d.establishmentType) },
          {
            label: req.t('quotaForm.approvedCount'),
            value: req.t('quotaForm.countChange', { from: usage?.approved ?? 0, to: d.approvedCount }),
          },
          { label: req.t('quotaForm.occupiedThen'), value: String(usage?.occupied ?? 0) },
          ...(usage && usage.occupied + usage.reserved > d.approvedCount
            ? [
                {
                  label: req.t('quotaForm.warning'),
                  value: req.t('quotaForm.willBeOver', {
                    over: usage.occupied + usage.reserved - d.approvedCount,
                  }),
                },
              ]
            : []),
          { label: req.t('forms.effectiveFrom'), value: f.date(d.effectiveFrom) },
          { label: req.t('forms.docNo'), value: d.docNo },
          { label: req.t('forms.changeSummary'), value: d.changeSummary || '—' },
          ...(d.correctsId ? [{ label: req.t('forms.corrects'), value: `#${d.correctsId}` }] : []),
        ];
      },
      commit: (d) => decisions.recordQuotaDecision(contextOf(req), d),
      done: (result) => {
        req.session.flash = {
          kind: 'success',
          key: result.over > 0 ? 'quotaForm.recordedOver' : 'quotaForm.recorded',
          vars: { over: String(result.over) },
        };
        res.redirect(303, paths.countyQuotaDecisions(countyId));
      },
    });
  });

  const slotForm =
    (req: Request, res: Response, townshipId: number) =>
    async (values: Record<string, string | string[]>, errors: FieldError[], status: number) => {
      const kinds = await reads.townshipLeadershipKinds();
      const f = formatterFor(req);
      res.status(status).render('establishment/slotDecisionForm', {
        title: pageTitle(req, 'slotForm.title', errors),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        kinds: kinds.map((k) => ({
          code: k.code,
          label: f.name(k.name_zh, k.name_en),
          selected: k.code === values.kind,
        })),
        ranks: ['section_chief', 'deputy_section', 'stock'].map((r) => ({
          code: r,
          label: f.label('unitRanks', r),
          selected: r === values.rank,
        })),
        backHref: paths.slotDecisions(townshipId),
      });
    };

  router.all('/townships/:id/slot-decisions/new', async (req, res) => {
    const townshipId = idOf(req);
    const township = await reads.visibleTownship(scopeOf(req), townshipId);
    assertCan(can.decideForCounty(req, township.parentId as number));
    const render = slotForm(req, res, townshipId);
    if (req.method === 'GET') {
      const values: Record<string, string> = {
        kind: '',
        slotCount: '1',
        rank: 'deputy_section',
        counted: '1',
        concurrentOnly: '',
        temporary: '',
        writeOffOn: '',
        effectiveFrom: services.clock.today(),
        docNo: '',
        changeSummary: '',
        correctsId: '',
        formKey: newFormKey(),
      };
      const correctsId = idParam(req.query.corrects);
      if (correctsId) {
        const wrong = await reads.slotDecision(correctsId, townshipId);
        if (wrong) {
          Object.assign(values, {
            kind: wrong.kind_code,
            slotCount: String(wrong.slot_count),
            rank: wrong.rank,
            counted: wrong.counted ? '1' : '',
            concurrentOnly: wrong.concurrent_only ? '1' : '',
            temporary: wrong.temporary ? '1' : '',
            writeOffOn: wrong.write_off_on ?? '',
            effectiveFrom: wrong.effective_from,
            correctsId: String(correctsId),
            changeSummary: req.t('quotaForm.correctionOf', { docNo: wrong.doc_no }),
          });
        }
      }
      return render(values, [], 200);
    }
    if (req.method !== 'POST') throw new NotFoundError();
    const f = formatterFor(req);
    await runFormFlow(req, res, {
      schema: slotDecisionSchema,
      fields: [
        'kind',
        'slotCount',
        'rank',
        'counted',
        'concurrentOnly',
        'temporary',
        'writeOffOn',
        'effectiveFrom',
        'docNo',
        'changeSummary',
        'correctsId',
      ],
      renderForm: render,
      checkTitle: req.t('slotForm.checkTitle'),
      checkRows: (d) => [
        { label: req.t('slotForm.township'), value: township.name },
        { label: req.t('slotForm.kind'), value: f.label('leadershipKinds', d.kind) },
        { label: req.t('slotForm.slotCount'), value: String(d.slotCount) },
        { label: req.t('slotForm.rank'), value: f.label('unitRanks', d.rank) },
        {
          label: req.t('slotForm.countedLabel'),
          value: d.counted ? req.t('slotForm.counted') : req.t('slotForm.notCounted'),
        },
        ...(d.concurrentOnly
          ? [{ label: req.t('slotForm.concurrentOnly'), value: req.t('common.yes') }]
          : []),
        ...(d.temporary ? [{ label: req.t('slotForm.writeOffOn'), value: f.date(d.writeOffOn) }] : []),
        { label: req.t('forms.effectiveFrom'), value: f.date(d.effectiveFrom) },
        { label: req.t('forms.docNo'), value: d.docNo },
        { label: req.t('forms.changeSummary'), value: d.changeSummary || '—' },
      ],
      commit: (d) => decisions.recordSlotDecision(contextOf(req), { ...d, townshipId }),
      done: () => {
        req.session.flash = { kind: 'success', key: 'slotForm.recorded' };
        res.redirect(303, paths.slotDecisions(townshipId));
      },
    });
  });

  router.all('/townships/:id/leadership-total/new', async (req, res) => {
    const townshipId = idOf(req);
    const township = await reads.visibleTownship(scopeOf(req), townshipId);
    assertCan(can.decideForCounty(req, township.parentId as number));
    const f = formatterFor(req);
    const render = (values: Record<string, string | string[]>, errors: FieldError[], status: number) =>
      res.status(status).render('establishment/totalDecisionForm', {
        title: pageTitle(req, 'totalForm.title', errors),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        township: township.name,
        backHref: paths.slotDecisions(townshipId),
      });
    if (req.method === 'GET') {
      return render(
        {
          total: '',
          effectiveFrom: services.clock.today(),
          docNo: '',
          changeSummary: '',
          correctsId: '',
          formKey: newFormKey(),
        },
        [],
        200,
      );
    }
    if (req.method !== 'POST') throw new NotFoundError();
    await runFormFlow(req, res, {
      schema: totalDecisionSchema,
      fields: ['total', 'effectiveFrom', 'docNo', 'changeSummary', 'correctsId'],
      renderForm: render,
      checkTitle: req.t('totalForm.checkTitle'),
      checkRows: (d) => [
        { label: req.t('slotForm.township'), value: township.name },
        { label: req.t('totalForm.total'), value: String(d.total) },
        { label: req.t('forms.effectiveFrom'), value: f.date(d.effectiveFrom) },
        { label: req.t('forms.docNo'), value: d.docNo },
        { label: req.t('forms.changeSummary'), value: d.changeSummary || '—' },
      ],
      commit: (d) => decisions.recordTotalDecision(contextOf(req), { ...d, townshipId }),
      done: () => {
        req.session.flash = { kind: 'success', key: 'totalForm.recorded' };
        res.redirect(303, paths.slotDecisions(townshipId));
      },
    });
  });

  return router;
}
