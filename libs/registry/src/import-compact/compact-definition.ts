import { z } from 'zod';
import { FieldError, toFieldErrors } from '@cc/common';
import { ruleProblems } from '../rules/commitment-rule';
import type { CompactDefinition } from '../seed/registry-seed.types';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in the form YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'is not a real date');
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
  if (!parsed.success) return { errors: toFieldErrors(parsed.error) };
  const definition = parsed.data as CompactDefinition;
  const errors: FieldError[] = [];
  if (definition.scope === 'local' && !definition.area) errors.push({ field: 'area', reason: 'is required for a local Compact (e.g. "Harborough")' });
  if (definition.scope === 'national' && definition.area) errors.push({ field: 'area', reason: 'must be empty for a national Compact' });
  const codes = new Set<string>();
  definition.sections.forEach((s, i) => {
    if (codes.has(s.code.toLowerCase())) errors.push({ field: `sections.${i}.code`, reason: `repeats section code "${s.code}"` });
    codes.add(s.code.toLowerCase());
  });
  const references = new Set<string>();
  definition.commitments.forEach((c, i) => {
    if (references.has(c.reference.toLowerCase())) errors.push({ field: `commitments.${i}.reference`, reason: `repeats reference "${c.reference}"` });
    references.add(c.reference.toLowerCase());
    if (!codes.has(c.section.toLowerCase())) errors.push({ field: `commitments.${i}.section`, reason: `names section "${c.section}", which this Compact does not have` });
    if (c.rule !== undefined && c.rule !== null) {
      for (const problem of ruleProblems(c.rule)) errors.push({ field: `commitments.${i}.rule`, reason: problem });
    }
  });
  const contactSectors = new Set<string>();
  definition.leadContacts?.forEach((l, i) => {
    if (contactSectors.has(l.sector)) errors.push({ field: `leadContacts.${i}.sector`, reason: `has a second ${l.sector} sector lead; give one per sector` });
    contactSectors.add(l.sector);
  });
  return errors.length ? { errors } : { definition, errors };
}
