import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Conflict, NotFound, ValidationFailed, calendarDate, isUuid, parseOrThrow } from '@cc/common';
import { runSql, sql } from '@cc/persistence';
import { BODY_TYPES, commitmentSchema, compactFieldsSchema, sectionSchema } from '../import-compact/compact-definition';
import { ruleProblems } from '../rules/commitment-rule';

// null clears an optional field (a page's emptied box); leaving a field out keeps it.
export const compactPatchSchema = compactFieldsSchema
  .partial()
  .extend({
    area: compactFieldsSchema.shape.area.unwrap().nullable().optional(),
    adoptedOn: compactFieldsSchema.shape.adoptedOn.unwrap().nullable().optional(),
    sourceUrl: compactFieldsSchema.shape.sourceUrl.unwrap().nullable().optional(),
    summary: compactFieldsSchema.shape.summary.unwrap().nullable().optional(),
  })
  .strict();
export const commitmentPatchSchema = commitmentSchema.omit({ reference: true }).partial().extend({ rule: z.unknown().nullable().optional() }).strict();
export const signatorySchema = z.object({ signedOn: calendarDate().nullable().optional() }).strict();
export const leadContactSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    email: z.email({ message: 'must be an e-mail address' }).nullable().optional(),
    phone: z.string().trim().max(40).nullable().optional(),
    organisationId: z.uuid({ message: 'must be a UUID' }).nullable().optional(),
  })
  .strict();
export const organisationSchema = z
  .object({
    name: z.string().trim().min(2, 'must be 2 to 200 characters').max(200, 'must be 2 to 200 characters'),
    sector: z.enum(['voluntary', 'public'], { message: 'must be voluntary or public' }),
    bodyType: z.enum(BODY_TYPES, { message: `must be one of ${BODY_TYPES.join(', ')}` }).nullable().optional(),
    area: z.string().trim().max(120).nullable().optional(),
    charityNumber: z.string().trim().regex(/^[0-9A-Za-z-]{4,20}$/, 'must be a charity or company number').nullable().optional(),
    website: z.url({ message: 'must be a web address starting http:// or https://', protocol: /^https?$/ }).nullable().optional(),
  })
  .strict();

/**
 * Administrators' edits to the registry, one statement each and each checked as the import is:
 * a rule is checked against the fact catalogue, a commitment a case names cannot be removed.
 */
@Injectable()
export class RegistryEditor {
  private readonly logger = new Logger(RegistryEditor.name);

  constructor(private readonly dataSource: DataSource) {}

  async updateCompact(id: string, body: unknown): Promise<void> {
    const patch = parseOrThrow(compactPatchSchema, body);
    await this.dataSource.transaction(async (m) => {
      const current = await this.compactRow(m, id);
      const scope = patch.scope ?? current.scope;
      const area = patch.area === undefined ? current.area : patch.area;
      if (scope === 'local' && !area) throw new ValidationFailed([{ field: 'area', reason: 'is required for a local Compact' }]);
      if (patch.name) await this.refuseTakenName(m, patch.name, id);
      await runSql(m, sql`UPDATE compacts SET name = coalesce(${patch.name ?? null}, name), scope = ${scope}, area = ${scope === 'national' ? null : area}, adopted_on = CASE WHEN ${'adoptedOn' in patch}::boolean THEN ${patch.adoptedOn ?? null}::date ELSE adopted_on END,
           status = coalesce(${patch.status ?? null}, status), source_url = CASE WHEN ${'sourceUrl' in patch}::boolean THEN ${patch.sourceUrl ?? null} ELSE source_url END,
           summary = CASE WHEN ${'summary' in patch}::boolean THEN ${patch.summary ?? null} ELSE summary END, updated_at = now()
         WHERE id = ${id}`);
    });
    this.logger.log({ compactId: id, fields: Object.keys(patch) }, 'Compact updated');
  }

  async addSection(compactId: string, body: unknown): Promise<{ id: string }> {
    const section = parseOrThrow(sectionSchema, body);
    return this.dataSource.transaction(async (m) => {
      await this.compactRow(m, compactId);
      const [taken] = await runSql(m, sql`SELECT 1 FROM compact_sections WHERE compact_id = ${compactId} AND lower(code) = lower(${section.code})`);
      if (taken) throw new Conflict('SECTION_EXISTS', `This Compact already has a section ${section.code}.`);
      const [row] = await runSql<{ id: string }>(m, sql`INSERT INTO compact_sections (compact_id, code, title, kind, wording, position)
         VALUES (${compactId}, ${section.code}, ${section.title}, ${section.kind}, ${section.wording}, (SELECT coalesce(max(position), -1) + 1 FROM compact_sections WHERE compact_id = ${compactId})) RETURNING id`);
      return { id: row.id };
    });
  }

  async addCommitment(compactId: string, body: unknown): Promise<{ id: string }> {
    const c = parseOrThrow(commitmentSchema, body);
    checkRule(c.rule);
    return this.dataSource.transaction(async (m) => {
      await this.compactRow(m, compactId);
      const sectionId = await this.sectionId(m, compactId, c.section);
      const [taken] = await runSql(m, sql`SELECT 1 FROM commitments WHERE compact_id = ${compactId} AND lower(reference) = lower(${c.reference})`);
      if (taken) throw new Conflict('COMMITMENT_EXISTS', `This Compact already has a commitment ${c.reference}; edit that one instead.`);
      const [row] = await runSql<{ id: string }>(m, sql`INSERT INTO commitments (compact_id, section_id, reference, text, binds, wording, rule, position)
         VALUES (${compactId}, ${sectionId}, ${c.reference}, ${c.text}, ${c.binds}, ${c.wording}, ${c.rule === undefined ? null : JSON.stringify(c.rule)}, (SELECT coalesce(max(position), -1) + 1 FROM commitments WHERE compact_id = ${compactId})) RETURNING id`);
      this.logger.log({ compactId, commitmentId: row.id, reference: c.reference, hasRule: c.rule !== undefined }, 'Commitment added');
      return { id: row.id };
    });
  }

  async updateCommitment(id: string, body: unknown): Promise<void> {
    const patch = parseOrThrow(commitmentPatchSchema, body);
    if (patch.rule !== null) checkRule(patch.rule);
    await this.dataSource.transaction(async (m) => {
      const [current] = isUuid(id) ? await runSql<{ compact_id: string }>(m, sql`SELECT compact_id FROM commitments WHERE id = ${id} FOR UPDATE`) : [];
      if (!current) throw new NotFound(`Commitment ${id}`, 'COMMITMENT_NOT_FOUND');
      const sectionId = patch.section ? await this.sectionId(m, current.compact_id, patch.section) : null;
      await runSql(m, sql`UPDATE commitments SET text = coalesce(${patch.text ?? null}, text), binds = coalesce(${patch.binds ?? null}, binds), wording = coalesce(${patch.wording ?? null}, wording),
           section_id = coalesce(${sectionId}, section_id), rule = CASE WHEN ${'rule' in patch}::boolean THEN ${patch.rule == null ? null : JSON.stringify(patch.rule)}::jsonb ELSE rule END, updated_at = now()
         WHERE id = ${id}`);
    });
    this.logger.log({ commitmentId: id, fields: Object.keys(patch) }, 'Commitment updated');
  }

  async deleteCommitment(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [current] = isUuid(id) ? await runSql(m, sql`SELECT id FROM commitments WHERE id = ${id} FOR UPDATE`) : [];
      if (!current) throw new NotFound(`Commitment ${id}`, 'COMMITMENT_NOT_FOUND');
      const [{ n }] = await runSql<{ n: number }>(m, sql`SELECT count(*)::int AS n FROM cases WHERE ${id} = ANY(commitment_ids)`);
      if (n > 0) throw new Conflict('COMMITMENT_IN_USE', `${n} case(s) name this commitment, so it cannot be removed; edit its text instead.`, { cases: n });
      await runSql(m, sql`DELETE FROM commitments WHERE id = ${id}`);
    });
  }

  async setSignatory(compactId: string, organisationId: string, body: unknown): Promise<void> {
    const { signedOn } = parseOrThrow(signatorySchema, body ?? {});
    await this.dataSource.transaction(async (m) => {
      await this.compactRow(m, compactId);
      await this.organisationRow(m, organisationId);
      await runSql(m, sql`INSERT INTO compact_signatories (compact_id, organisation_id, signed_on) VALUES (${compactId}, ${organisationId}, ${signedOn ?? null})
         ON CONFLICT (compact_id, organisation_id) DO UPDATE SET signed_on = EXCLUDED.signed_on`);
    });
  }

  async removeSignatory(compactId: string, organisationId: string): Promise<void> {
    const rows = isUuid(compactId) && isUuid(organisationId)
      ? await runSql(this.dataSource, sql`DELETE FROM compact_signatories WHERE compact_id = ${compactId} AND organisation_id = ${organisationId} RETURNING 1`)
      : [];
    if (rows.length === 0) throw new NotFound('That signatory', 'SIGNATORY_NOT_FOUND');
  }

  async setLeadContact(compactId: string, sector: string, body: unknown): Promise<void> {
    if (sector !== 'voluntary' && sector !== 'public') throw new ValidationFailed([{ field: 'sector', reason: 'must be voluntary or public' }]);
    const contact = parseOrThrow(leadContactSchema, body);
    await this.dataSource.transaction(async (m) => {
      await this.compactRow(m, compactId);
      if (contact.organisationId) await this.organisationRow(m, contact.organisationId, 'organisationId');
      await runSql(m, sql`INSERT INTO compact_lead_contacts (compact_id, sector, name, email, phone, organisation_id) VALUES (${compactId}, ${sector}, ${contact.name}, ${contact.email ?? null}, ${contact.phone ?? null}, ${contact.organisationId ?? null})
         ON CONFLICT (compact_id, sector) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, phone = EXCLUDED.phone, organisation_id = EXCLUDED.organisation_id`);
    });
  }

  async createOrganisation(body: unknown): Promise<{ id: string }> {
    const o = checkOrganisation(parseOrThrow(organisationSchema, body));
    return this.dataSource.transaction(async (m) => {
      const [taken] = await runSql(m, sql`SELECT id FROM organisations WHERE lower(name) = lower(${o.name}) AND coalesce(lower(area), '') = coalesce(lower(${o.area ?? null}), '')`);
      if (taken) throw new Conflict('ORGANISATION_EXISTS', `An organisation called "${o.name}" is already registered${o.area ? ` in ${o.area}` : ''}.`, { organisationId: taken.id });
      const [row] = await runSql<{ id: string }>(m, sql`INSERT INTO organisations (name, sector, body_type, area, charity_number, website) VALUES (${o.name}, ${o.sector}, ${o.sector === 'public' ? o.bodyType : null}, ${o.area ?? null}, ${o.charityNumber ?? null}, ${o.website ?? null}) RETURNING id`);
      this.logger.log({ organisationId: row.id, sector: o.sector }, 'Organisation added');
      return { id: row.id };
    });
  }

  /** One organisation as its edit form shows it. */
  async organisationForEdit(id: string): Promise<{ id: string; name: string; sector: 'voluntary' | 'public'; bodyType: string | null; area: string | null; charityNumber: string | null; website: string | null }> {
    const row = await this.organisationRow(this.dataSource.manager, id);
    return { id: row.id, name: row.name, sector: row.sector, bodyType: row.body_type, area: row.area, charityNumber: row.charity_number, website: row.website };
  }

  async updateOrganisation(id: string, body: unknown): Promise<void> {
    const patch = parseOrThrow(organisationSchema.partial().strict(), body);
    await this.dataSource.transaction(async (m) => {
      const current = await this.organisationRow(m, id);
      const merged = checkOrganisation({
        name: patch.name ?? current.name,
        sector: patch.sector ?? current.sector,
        bodyType: patch.bodyType === undefined ? current.body_type : patch.bodyType,
        area: patch.area === undefined ? current.area : patch.area,
        charityNumber: patch.charityNumber === undefined ? current.charity_number : patch.charityNumber,
        website: patch.website === undefined ? current.website : patch.website,
      });
      if (merged.sector !== current.sector) {
        // A sector is what the cases and accounts that name the organisation rely on: a reporter
        // belongs to a voluntary one, a case is against a public one.
        const [uses] = await runSql<{ reporters: number; against: number; reported: number }>(m, sql`SELECT (SELECT count(*)::int FROM users WHERE organisation_id = ${id} AND role = 'reporter') AS reporters,
                  (SELECT count(*)::int FROM cases WHERE respondent_organisation_id = ${id}) AS against,
                  (SELECT count(*)::int FROM cases WHERE reporting_organisation_id = ${id}) AS reported`);
        const inUse = merged.sector === 'public' ? uses.reporters + uses.reported : uses.against;
        if (inUse > 0) {
          const what = merged.sector === 'public' ? `${uses.reporters} reporter account(s) and ${uses.reported} case(s) it reported` : `${uses.against} case(s) against it`;
          throw new ValidationFailed([{ field: 'sector', reason: `cannot change: ${what} rely on it being ${current.sector === 'public' ? 'a public body' : 'a voluntary organisation'}` }]);
        }
      }
      const [taken] = await runSql(m, sql`SELECT id FROM organisations WHERE lower(name) = lower(${merged.name}) AND coalesce(lower(area), '') = coalesce(lower(${merged.area ?? null}), '') AND id <> ${id}`);
      if (taken) throw new Conflict('ORGANISATION_EXISTS', `Another organisation called "${merged.name}" is already registered${merged.area ? ` in ${merged.area}` : ''}.`, { organisationId: taken.id });
      await runSql(m, sql`UPDATE organisations SET name = ${merged.name}, sector = ${merged.sector}, body_type = ${merged.sector === 'public' ? merged.bodyType : null}, area = ${merged.area ?? null}, charity_number = ${merged.charityNumber ?? null}, website = ${merged.website ?? null}, updated_at = now() WHERE id = ${id}`);
    });
    this.logger.log({ organisationId: id, fields: Object.keys(patch) }, 'Organisation updated');
  }

  private async compactRow(m: EntityManager, id: string): Promise<{ id: string; scope: string; area: string | null }> {
    const [row] = isUuid(id) ? await runSql<{ id: string; scope: string; area: string | null }>(m, sql`SELECT id, scope, area FROM compacts WHERE id = ${id} FOR UPDATE`) : [];
    if (!row) throw new NotFound(`Compact ${id}`, 'COMPACT_NOT_FOUND');
    return row;
  }

  private async organisationRow(m: EntityManager, id: string, field?: string): Promise<OrganisationRow> {
    const [row] = isUuid(id) ? await runSql<OrganisationRow>(m, sql`SELECT * FROM organisations WHERE id = ${id}`) : [];
    if (!row && field) throw new ValidationFailed([{ field, reason: 'is not a known organisation' }]);
    if (!row) throw new NotFound(`Organisation ${id}`, 'ORGANISATION_NOT_FOUND');
    return row;
  }

  private async sectionId(m: EntityManager, compactId: string, code: string): Promise<string> {
    const [row] = await runSql<{ id: string }>(m, sql`SELECT id FROM compact_sections WHERE compact_id = ${compactId} AND lower(code) = lower(${code})`);
    if (!row) throw new ValidationFailed([{ field: 'section', reason: `names section "${code}", which this Compact does not have; add the section first` }]);
    return row.id;
  }

  private async refuseTakenName(m: EntityManager, name: string, exceptId: string): Promise<void> {
    const [taken] = await runSql(m, sql`SELECT id FROM compacts WHERE lower(name) = lower(${name}) AND id <> ${exceptId}`);
    if (taken) throw new Conflict('COMPACT_EXISTS', `Another Compact is already called "${name}".`, { compactId: taken.id });
  }
}

/** An organisations row as `SELECT *` gives it (the columns the edits read). */
interface OrganisationRow {
  id: string;
  name: string;
  sector: 'voluntary' | 'public';
  body_type: string | null;
  area: string | null;
  charity_number: string | null;
  website: string | null;
}

function checkRule(rule: unknown): void {
  if (rule === undefined || rule === null) return;
  const problems = ruleProblems(rule);
  if (problems.length) throw new ValidationFailed(problems.map((reason) => ({ field: 'rule', reason })));
}

function checkOrganisation<T extends { sector: string; bodyType?: string | null }>(o: T): T {
  if (o.sector === 'public' && !o.bodyType) throw new ValidationFailed([{ field: 'bodyType', reason: `is required for a public body: one of ${BODY_TYPES.join(', ')}` }]);
  if (o.sector === 'voluntary' && o.bodyType) throw new ValidationFailed([{ field: 'bodyType', reason: 'applies to public bodies only; leave it out for a voluntary organisation' }]);
  return o;
}
