import type { NamedRef } from '../get-case/case.dto';

/**
 * How a respondent is told who reported when the reporter asked not to be named: small groups
 * often depend on the body they complain about for funding, so only the kind of body and its area.
 */
export function anonymousReporterName(area: string | null): string {
  return area ? `a voluntary organisation in ${area}` : 'a voluntary organisation';
}

/** The reporting organisation as a respondent may see it: no id either, as an id can be looked up. */
export function reporterAsRespondentSeesIt(ref: NamedRef, reporterNamed: boolean, area: string | null): NamedRef {
  return reporterNamed ? ref : { id: '', name: anonymousReporterName(area) };
}
