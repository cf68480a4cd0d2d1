import { z } from 'zod';
import { FieldError, isRealDate, toFieldErrors } from '@cc/common';
import { ruleProblems } from '../rules/commitment-rule';
import type { CommitmentDefinition, CompactDefinition, SectionDefinition } from '../seed/registry-seed.types';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in the form YYYY-MM-DD')
  .refine(isRealDate, 'is not a real date');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();

export const BODY_TYPES = ['council', 'nhs', 'police', 'fire_rescue', 'pcc', 'lep', 'government_department', 'other'] as const;
export const BODY_TYPE_LABELS: Record<(typeof BODY_TYPES)[number], string> = {
  council: 'Council',
  nhs: 'NHS body or clinical commissioning group',
  police: 'Police',
  fire_rescue: 'Fire and rescue',
  pcc: 'Police and crime commissioner',
  lep: 'Local enterprise partnership',
  government_department: 'Government department',
  other: 'Other public body',
};

export const compactFieldsSchema = z.object({
  name: text(200),
  scope: z.enum(['national', 'local'], { message: 'must be national or local' }),
  area: optionalText(120),
  adoptedOn: isoDate.optional(),
  status: z.enum(['draft', 'active', 'under_review', 'archived'], { message: 'must be draft, active, under_review or archived' }).default('active'),
  sourceUrl: z.url({ message: 'must be a web address starting http:// or https://', protocol: /^https?$/ }).optional(),
  summary: optionalText(2000),
});

export const sectionSchema = z
  .object({
    code: text(20),
    title: text(300),
    kind: z.enum(['outcome', 'code_of_practice', 'undertakings', 'section'], { message: 'must be outcome, code_of_practice, undertakings or section' }),
    wording: z.enum(['official', 'summary'], { message: 'must be official or summary' }).default('summary'),
  })
  .strict();

export const commitmentSchema = z
  .object({
    reference: text(20),
    section: text(20),
    text: text(4000),
    binds: z.enum(['public', 'voluntary', 'both'], { message: 'must be public, voluntary or both' }),
    wording: z.enum(['official', 'summary'], { message: 'must be official or summary' }),
    rule: z.unknown().optional(),
  })
  .strict();

export const compactDefinitionSchema = compactFieldsSchema
  .extend({
    sections: z.array(sectionSchema).max(200, 'must have at most 200 sections').default([]),
    commitments: z.array(commitmentSchema).max(2000, 'must have at most 2000 commitments').default([]),
    signatories: z.array(z.object({ organisation: text(200), signedOn: isoDate.optional() }).strict()).max(2000).optional(),
    leadContacts: z
      .array(
        z
          .object({
            sector: z.enum(['voluntary', 'public'], { message: 'must be voluntary or public' }),
            name: text(200),
            email: z.email({ message: 'must be an e-mail address' }).optional(),
            phone: optionalText(40),
            organisation: optionalText(200),
          })
          .strict(),
      )
      .max(2)
      .optional(),
  })
  .strict();

/**
 * Checks a whole Compact before anything is written: shape, then what the shape cannot say
 * (unique codes and references, sections that exist, rules that name known facts). Every problem
 * is reported at once, so a bad file is fixed in one go.
 */
export function checkCompactDefinition(input: unknown): { definition?: CompactDefinition; errors: FieldError[] } {
  const parsed = compactDefinitionSchema.safeParse(input);
  // The cross-checks run on a file that fails the shape check too, so one round of fixes is enough.
  const errors = parsed.success ? [] : toFieldErrors(parsed.error);
  const seen = new Set(errors.map((e) => e.field));
  for (const e of crossCheck((parsed.success ? parsed.data : input) as Partial<CompactDefinition>)) if (!seen.has(e.field)) errors.push(e);
  return errors.length ? { errors } : { definition: parsed.data as CompactDefinition, errors };
}

function crossCheck(definition: Partial<CompactDefinition>): FieldError[] {
  const errors: FieldError[] = [];
  const list = <T>(v: unknown): Array<Partial<T>> => (Array.isArray(v) ? v.filter((x) => x && typeof x === 'object') : []);
  const key = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : undefined);
  if (definition.scope === 'local' && !definition.area) errors.push({ field: 'area', reason: 'is required for a local Compact (e.g. "Harborough")' });
  if (definition.scope === 'national' && definition.area) errors.push({ field: 'area', reason: 'must be empty for a national Compact' });
  const codes = new Set<string>();
  list<SectionDefinition>(definition.sections).forEach((s, i) => {
    const code = key(s.code);
    if (!code) return;
    if (codes.has(code)) errors.push({ field: `sections.${i}.code`, reason: `repeats section code "${s.code}"` });
    codes.add(code);
  });
  const references = new Set<string>();
  list<CommitmentDefinition>(definition.commitments).forEach((c, i) => {
    const reference = key(c.reference);
    if (reference && references.has(reference)) errors.push({ field: `commitments.${i}.reference`, reason: `repeats reference "${c.reference}"` });
    if (reference) references.add(reference);
    const section = key(c.section);
    if (section && !codes.has(section)) errors.push({ field: `commitments.${i}.section`, reason: `names section "${c.section}", which this Compact does not have` });
    if (c.rule !== undefined && c.rule !== null) {
      for (const problem of ruleProblems(c.rule)) errors.push({ field: `commitments.${i}.rule`, reason: problem });
    }
  });
  const contactSectors = new Set<string>();
  list<{ sector: string }>(definition.leadContacts).forEach((l, i) => {
    if (!l.sector) return;
    if (contactSectors.has(l.sector)) errors.push({ field: `leadContacts.${i}.sector`, reason: `has a second ${l.sector} sector lead; give one per sector` });
    contactSectors.add(l.sector);
  });
  return errors;
}
