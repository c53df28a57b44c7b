// The composer's sections: where each top-level field of a request type is asked. The request-types
// endpoint writes the section into each field's schema (`x-section`), so the form stays built from
// the one schema the node validates with; a field this table does not know is part of what is asked.
import type { TObject } from 'typebox';

/** In the order a request is written: who, on what legal basis, what happened, what is asked, when. */
export const FORM_SECTIONS = ['parties', 'basis', 'facts', 'measure', 'timing'] as const;
export type FormSection = (typeof FORM_SECTIONS)[number];

const SECTION_OF: Readonly<Record<string, FormSection>> = {
  caseReference: 'parties',
  requestingState: 'parties',
  requestedState: 'parties',
  requestingAuthority: 'parties',
  requestedAuthority: 'parties',
  channel: 'parties',
  legalBasis: 'basis',
  treatyRef: 'basis',
  reciprocityUndertaking: 'basis',
  offences: 'basis',
  factsSummary: 'facts',
  proceeding: 'facts',
  purpose: 'facts',
  persons: 'facts',
  informationSummary: 'facts',
  personSought: 'facts',
  warrant: 'facts',
  penaltyText: 'facts',
  nationalOfRequested: 'facts',
  urgency: 'timing',
  emergencyJustification: 'timing',
  deadline: 'timing',
  deadlineReason: 'timing',
  confidentialityRequired: 'timing',
  linkedRequestIds: 'timing',
};

/** The section a top-level field of a request is asked in. */
export function sectionOf(field: string): FormSection {
  return SECTION_OF[field] ?? 'measure';
}

/** A plain copy of a request type's schema with `x-section` on each top-level field. */
export function withSections(schema: TObject): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(schema)) as { properties?: Record<string, Record<string, unknown>> };
  for (const [name, field] of Object.entries(copy.properties ?? {})) field['x-section'] = sectionOf(name);
  return copy;
}
