import type { MovementListItem } from '../../db/repositories/movements.js';
import { paths } from '../../paths.js';
import type { Formatter } from '../format.js';

/** One movement request as a table row (lists, inbox, ledger). */
export const movementRowView = (m: MovementListItem, f: Formatter, today: string) => ({
  id: m.id,
  href: paths.movement(m.id),
  person: m.personName,
  personHref: paths.person(m.personId),
  kind: f.t(`movementKinds.${m.kind}`),
  subKind: m.subKind ? f.t(`movementSubKinds.${m.subKind}`) : '',
  from: [m.fromTownshipName, m.fromPost].filter(Boolean).join(' '),
  to:
    [m.toTownshipName, m.toPost].filter(Boolean).join(' ') ||
    (m.toEstablishmentType ? f.label('establishmentTypes', m.toEstablishmentType) : ''),
  fromType: f.label('establishmentTypes', m.fromEstablishmentType),
  toType: f.label(
    'establishmentTypes',
    m.toEstablishmentType ?? (m.kind === 'exit' ? null : m.fromEstablishmentType),
  ),
  effective: f.date(m.effectiveOn),
  future: m.effectiveOn > today,
  state: f.t(`movementStates.${m.state}`),
  stateCss: `tag tag--${m.state === 'approved' || m.state === 'filed' ? 'vacant' : m.state === 'rejected' ? 'over' : m.state === 'submitted' ? 'info' : 'full'}`,
  docNo: m.docNo ?? '',
  approvalDocNo: m.approvalDocNo ?? '',
  submitted: m.submittedAt ? f.date(m.submittedAt.toISOString().slice(0, 10)) : '',
  batch: m.batchId ? paths.movementBatch(m.batchId) : null,
});
