/**
 * Row types of every table, snake_case as stored. Only src/db sees these; repositories map them to
 * camelCase domain objects. Registered with knex so `knex('users')` is typed.
 */

export type EstablishmentType = 'administrative' | 'civil_service_institutional' | 'institutional' | 'worker';
export type UnitKind = 'office' | 'station' | 'dispatched';
export type UnitRank = 'section_chief' | 'deputy_section' | 'stock' | 'none';
export type RegionKind = 'city' | 'county' | 'township';
export type Ladder =
  | 'civil_service_rank'
  | 'leadership_level'
  | 'management_level'
  | 'professional'
  | 'skilled';
export type PostCategory = 'leadership' | 'civil_service' | 'management' | 'professional' | 'skilled';
export type AssignmentKind = 'primary' | 'concurrent' | 'secondment';

export interface RegionRow {
  id: number;
  kind: RegionKind;
  parent_id: number | null;
  parent_kind: RegionKind | null;
  name: string;
  code: string | null;
  township_kind: 'town' | 'subdistrict' | null;
  sort_order: number;
  created_at: Date;
}

export interface CountyDepartmentRow {
  id: number;
  county_id: number;
  county_kind: 'county';
  name: string;
  created_at: Date;
}

export interface GradeLevelRow {
  code: string;
  ladder: Ladder;
  step: number;
  level_equivalent: string | null;
  name_zh: string;
  name_en: string;
}

export interface LeadershipKindRow {
  code: string;
  scope: 'township' | 'unit';
  rank: 'section_chief' | 'deputy_section' | 'stock';
  counted: boolean;
  concurrent_only: boolean;
  party_post: boolean;
  sort_order: number;
  name_zh: string;
  name_en: string;
}

export interface SanctionKindRow {
  code: string;
  category: 'government' | 'party' | 'organizational' | 'investigation';
  impact_months: number | null;
  sort_order: number;
  name_zh: string;
  name_en: string;
}

/** One version of the minimum conditions for reaching a grade (rules as data: months, counted grades, education, party). */
export interface PromotionRuleRow {
  id: number;
  /** null = the national default; a county's own row overrides it from its effective date. */
  county_id: number | null;
  county_kind: 'county';
  target: string;
  min_months: number;
  counted_grades: string[];
  /** An education level code (educations.level), or null for none required. */
  min_education: string | null;
  education_blocks: boolean;
  party_member_required: boolean;
  effective_from: string;
  source: string;
}

/** A county's own impact period of a sanction kind, from a date (overrides sanction_kinds.impact_months). */
export interface CountySanctionPeriodRow {
  id: number;
  county_id: number;
  county_kind: 'county';
  kind_code: string;
  impact_months: number;
  effective_from: string;
  source: string;
  created_at: Date;
}

export interface UnitRow {
  id: number;
  township_id: number;
  township_kind: 'township';
  kind: UnitKind;
  department_id: number | null;
  established_on: string;
  established_doc_no: string | null;
  established_decision_id: number | null;
  abolished_on: string | null;
  abolished_doc_no: string | null;
  abolished_decision_id: number | null;
  sort_order: number;
  created_at: Date;
}

export interface UnitVersionRow {
  id: number;
  unit_id: number;
  township_id: number;
  decision_id: number | null;
  valid_from: string;
  valid_to: string | null;
  name: string;
  alias_names: string[];
  rank: UnitRank;
  featured: boolean;
  superseded_at: Date | null;
  created_at: Date;
}

export type UnitDecisionKind =
  | 'establish'
  | 'rename'
  | 'change_rank'
  | 'set_aliases'
  | 'set_featured'
  | 'abolish'
  | 'merge'
  | 'split'
  | 'correction';

export interface UnitDecisionRow {
  id: number;
  township_id: number;
  township_kind: 'township';
  kind: UnitDecisionKind;
  effective_on: string;
  doc_no: string;
  summary: string;
  corrects_id: number | null;
  created_at: Date;
}

export interface CountySettingsRow {
  county_id: number;
  county_kind: 'county';
  unit_limit: number;
  featured_unit_limit: number;
  unit_deputy_thresholds: number[];
  filing_only_kinds: string[];
  quota_approval_months: number;
  secondment_max_months: number;
  updated_at: Date;
}

export interface DigestRunRow {
  day: string;
  started_at: Date;
  finished_at: Date | null;
  sent: number;
  failed: number;
}

export type CalendarDayKind = 'holiday' | 'workday' | 'ordinary';

export interface CalendarDayRow {
  day: string;
  kind: CalendarDayKind;
  name: string;
  source: 'package' | 'admin';
  doc_no: string | null;
  updated_by: number | null;
  updated_at: Date;
}

export interface ApiRateLimitRow {
  key: string;
  hits: number;
  reset_at: Date;
}

export interface IdempotencyKeyRow {
  key: string;
  user_id: number;
  action: string;
  result: unknown;
  created_at: Date;
}

export interface PostRow {
  id: number;
  township_id: number;
  township_kind: 'township';
  unit_id: number | null;
  name: string;
  category: PostCategory;
  leadership_kind: string | null;
  establishment_types: EstablishmentType[];
  grade_low: string | null;
  grade_high: string | null;
  cross_type: boolean;
  opened_on: string;
  closed_on: string | null;
  doc_no: string | null;
  closed_doc_no: string | null;
  succeeds_post_id: number | null;
  sort_order: number;
  created_at: Date;
}

export interface QuotaHolderRow {
  id: number;
  township_id: number | null;
  township_kind: 'township';
  department_id: number | null;
}

export interface QuotaAccountRow {
  id: number;
  holder_id: number;
  establishment_type: EstablishmentType;
}

export interface QuotaDecisionRow {
  id: number;
  account_id: number;
  approved_count: number;
  effective_from: string;
  doc_no: string;
  change_summary: string;
  corrects_id: number | null;
  created_at: Date;
}

export interface QuotaReservationRow {
  id: number;
  account_id: number;
  reserved_on: string;
  expires_on: string | null;
  released_on: string | null;
  reason: string;
  doc_no: string | null;
  created_at: Date;
}

export interface LeadershipSlotAccountRow {
  id: number;
  township_id: number;
  township_kind: 'township';
  kind_code: string;
}

export interface LeadershipSlotDecisionRow {
  id: number;
  account_id: number;
  slot_count: number;
  rank: 'section_chief' | 'deputy_section' | 'stock';
  counted: boolean;
  concurrent_only: boolean;
  temporary: boolean;
  write_off_on: string | null;
  effective_from: string;
  doc_no: string;
  change_summary: string;
  corrects_id: number | null;
  created_at: Date;
}

export interface LeadershipTotalDecisionRow {
  id: number;
  township_id: number;
  township_kind: 'township';
  total: number;
  effective_from: string;
  doc_no: string;
  change_summary: string;
  corrects_id: number | null;
  created_at: Date;
}

export interface PersonRow {
  id: number;
  id_number: string;
  name: string;
  name_pinyin: string;
  name_initials: string;
  surname_strokes: number;
  gender: 'male' | 'female';
  birth_date: string;
  ethnicity: string;
  native_place: string;
  birth_place: string;
  political_status: string;
  party_joined_on: string | null;
  work_started_on: string | null;
  health: string;
  professional_title: string;
  expertise: string;
  photo: Buffer | null;
  photo_mime: string | null;
  /** The township keeping the record while no history places the person (see the migration's comment). */
  registered_township_id: number | null;
  registered_township_kind: 'township';
  created_at: Date;
  updated_at: Date;
}

export interface EducationRow {
  id: number;
  person_id: number;
  mode: 'full_time' | 'in_service';
  level: string;
  degree: string | null;
  school: string;
  major: string;
  started_on: string | null;
  graduated_on: string | null;
  created_at: Date;
}

export interface FamilyMemberRow {
  id: number;
  person_id: number;
  relation: string;
  name: string;
  birth_date: string | null;
  political_status: string | null;
  work_unit_and_post: string;
  emigrated: boolean;
  related_person_id: number | null;
  sort_order: number;
  created_at: Date;
}

interface HistoryColumns {
  valid_from: string;
  valid_to: string | null;
  reason: string;
  doc_no: string | null;
  corrects_id: number | null;
  superseded_at: Date | null;
  created_at: Date;
}

export interface AssignmentRow extends HistoryColumns {
  id: number;
  person_id: number;
  post_id: number;
  kind: AssignmentKind;
  /** A secondment's planned end; valid_to is the actual end. */
  planned_until: string | null;
}

export interface GradeRow extends HistoryColumns {
  id: number;
  person_id: number;
  ladder: Ladder;
  grade_code: string;
  legacy_title: string | null;
  probation_until: string | null;
}

export interface QuotaSlotRow extends HistoryColumns {
  id: number;
  person_id: number;
  account_id: number;
}

export interface PersonStatusRow extends HistoryColumns {
  id: number;
  person_id: number;
  status: 'active' | 'retired' | 'transferred_out' | 'resigned' | 'dismissed' | 'deceased';
}

export interface AssessmentRow {
  id: number;
  person_id: number;
  year: number;
  result: string;
  doc_no: string | null;
  corrects_id: number | null;
  superseded_at: Date | null;
  created_at: Date;
}

export interface SanctionRow {
  id: number;
  person_id: number;
  kind_code: string;
  decided_on: string;
  closed_on: string | null;
  reason: string;
  doc_no: string | null;
  corrects_id: number | null;
  superseded_at: Date | null;
  created_at: Date;
}

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  locale: 'zh-CN' | 'en';
  disabled_at: Date | null;
  password_changed_at: Date;
  sessions_valid_after: Date;
  created_at: Date;
  email: string | null;
  digest_enabled: boolean;
}

export interface UserRoleRow {
  id: number;
  user_id: number;
  role: 'admin' | 'establishment_officer' | 'county_reviewer' | 'township_officer' | 'staff';
  region_id: number | null;
  region_kind: RegionKind | null;
  person_id: number | null;
  created_at: Date;
}

export interface ApiTokenRow {
  id: number;
  user_id: number;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface LoginAttemptRow {
  id: number;
  username: string;
  address: string;
  succeeded: boolean;
  attempted_at: Date;
}

export interface AuditLogRow {
  id: number;
  occurred_at: Date;
  actor_user_id: number | null;
  actor_username: string | null;
  request_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
}

export interface RankQuotaPoolRow {
  id: number;
  county_id: number;
  county_kind: 'county';
  code: string;
  name_zh: string;
  name_en: string;
  grade_codes: string[];
  approved: number;
  doc_no: string | null;
  created_at: Date;
}

export interface RankQuotaPoolDecisionRow {
  id: number;
  pool_id: number;
  approved_count: number;
  effective_from: string;
  doc_no: string;
  change_summary: string;
  corrects_id: number | null;
  created_by: number | null;
  created_at: Date;
}

export interface RankPromotionRow {
  id: number;
  county_id: number;
  county_kind: 'county';
  township_id: number | null;
  person_id: number;
  from_grade: string | null;
  target_grade: string;
  ladder: 'civil_service_rank';
  path: 'standard' | 'simplified';
  pool_id: number | null;
  state: string;
  method: string | null;
  publicity_start: string | null;
  publicity_end: string | null;
  effective_on: string | null;
  doc_no: string | null;
  reason: string;
  grade_id: number | null;
  version: number;
  proposer_user_id: number;
  created_at: Date;
  updated_at: Date;
}

export interface RankPromotionActionRow {
  id: number;
  promotion_id: number;
  action: string;
  actor_user_id: number;
  actor_role: string;
  comment: string;
  doc_no: string | null;
  from_state: string | null;
  to_state: string;
  created_at: Date;
}

export interface ImportJobRow {
  id: number;
  township_id: number;
  township_kind: 'township';
  created_by: number;
  layout: 'template' | 'roster';
  state: 'mapping' | 'validating' | 'ready' | 'invalid' | 'committing' | 'committed' | 'failed';
  file_name: string;
  file: Buffer;
  file_sha256: string;
  mapping: unknown;
  rows_total: number;
  rows_done: number;
  counts: unknown;
  problems: unknown;
  failure: string | null;
  created_at: Date;
  updated_at: Date;
  committed_at: Date | null;
  plan: Buffer | null;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    regions: RegionRow;
    county_departments: CountyDepartmentRow;
    grade_levels: GradeLevelRow;
    leadership_kinds: LeadershipKindRow;
    sanction_kinds: SanctionKindRow;
    promotion_rules: PromotionRuleRow;
    county_sanction_periods: CountySanctionPeriodRow;
    units: UnitRow;
    unit_versions: UnitVersionRow;
    unit_decisions: UnitDecisionRow;
    county_settings: CountySettingsRow;
    digest_runs: DigestRunRow;
    api_rate_limits: ApiRateLimitRow;
    calendar_days: CalendarDayRow;
    idempotency_keys: IdempotencyKeyRow;
    quota_reservations: QuotaReservationRow;
    leadership_slot_accounts: LeadershipSlotAccountRow;
    leadership_slot_decisions: LeadershipSlotDecisionRow;
    leadership_total_decisions: LeadershipTotalDecisionRow;
    posts: PostRow;
    quota_holders: QuotaHolderRow;
    quota_accounts: QuotaAccountRow;
    quota_decisions: QuotaDecisionRow;
    people: PersonRow;
    educations: EducationRow;
    family_members: FamilyMemberRow;
    assignments: AssignmentRow;
    grades: GradeRow;
    quota_slots: QuotaSlotRow;
    person_statuses: PersonStatusRow;
    assessments: AssessmentRow;
    sanctions: SanctionRow;
    users: UserRow;
    user_roles: UserRoleRow;
    api_tokens: ApiTokenRow;
    login_attempts: LoginAttemptRow;
    audit_log: AuditLogRow;
    rank_quota_pools: RankQuotaPoolRow;
    rank_quota_pool_decisions: RankQuotaPoolDecisionRow;
    rank_promotions: RankPromotionRow;
    rank_promotion_actions: RankPromotionActionRow;
    import_jobs: ImportJobRow;
  }
}
