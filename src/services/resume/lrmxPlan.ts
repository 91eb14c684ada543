import type { EducationFields, FamilyFields } from '../../db/repositories/personRecords.js';
import type { ResumeLineFields } from '../../db/repositories/resume.js';
import type { PersonInput } from '../people/recordService.js';

/**
 * A checked .lrmx import, ready to apply: built by the import route from the file and the current record
 * (routes/resume/lrmxPlan.ts), applied by the resume service in one transaction.
 */
export type ImportPlan = {
  /** The person's fields after the import (the file's values; the record's where the file is empty). */
  person: PersonInput;
  /** Rows to add (rowId null) or change. */
  educations: Array<{ rowId: number | null; fields: EducationFields }>;
  family: Array<{ rowId: number | null; fields: FamilyFields }>;
  /** The free-text lines replacing the recorded ones; null: unchanged. */
  resumeLines: ResumeLineFields[] | null;
  /** A new photo; null: unchanged. */
  photo: { bytes: Buffer; mime: 'image/jpeg' | 'image/png' } | null;
  /** The file's Version element (kept in the audit entry). */
  fileVersion: string;
  /** Anything to write at all. */
  changed: boolean;
} & ({ target: 'new'; townshipId: number | null } | { target: 'update'; personId: number; version: string });
