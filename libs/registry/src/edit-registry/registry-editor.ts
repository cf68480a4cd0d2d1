import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Conflict, NotFound, ValidationFailed, calendarDate, isUuid, parseOrThrow } from '@cc/common';
import { queryRows } from '@cc/persistence';
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
      await m.query(
        `UPDATE compacts SET name = coalesce($2, name), scope = $3, area = $4, adopted_on = CASE WHEN $5::boolean THEN $6::date ELSE adopted_on END,
           status = coalesce($7, status), source_url = CASE WHEN $8::boolean THEN $9 ELSE source_url END,
           summary = CASE WHEN $10::boolean THEN $11 ELSE summary END, updated_at = now()
         WHERE id = $1`,
        [id, patch.name ?? null, scope, scope === 'national' ? null : area, 'adoptedOn' in patch, patch.adoptedOn ?? null, patch.status ?? null,
          'sourceUrl' in patch, patch.sourceUrl ?? null, 'summary' in patch, patch.summary ?? null],
      );
    });
    this.logger.log({ compactId: id, fields: Object.keys(patch) }, 'Compact updated');
  }

  async addSection(compactId: string, body: unknown): Promise<{ id: string }> {
    const section = parseOrThrow(sectionSchema, body);
    return this.dataSource.transaction(async (m) => {
      await this.compactRow(m, compactId);
      const [taken] = await m.query(`SELECT 1 FROM compact_sections WHERE compact_id = $1 AND lower(code) = lower($2)`, [compactId, section.code]);
      if (taken) throw new Conflict('SECTION_EXISTS', `This Compact already has a section ${section.code}.`);
      const [row] = await m.query(
        `INSERT INTO compact_sections (compact_id, code, title, kind, wording, position)
         VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(position), -1) + 1 FROM compact_sections WHERE compact_id = $1)) RETURNING id`,
        [compactId, section.code, section.title, section.kind, section.wording],
      );
      return { id: row.id };
    });
  }

  async addCommitment(compactId: string, body: unknown): Promise<{ id: string }> {
    const c = parseOrThrow(commitmentSchema, body);
    checkRule(c.rule);
    return this.dataSource.transaction(async (m) => {
      await this.compactRow(m, compactId);
      const sectionId = await this.sectionId(m, compactId, c.section);
      const [taken] = await m.query(`SELECT 1 FROM commitments WHERE compact_id = $1 AND lower(reference) = lower($2)`, [compactId, c.reference]);
      if (taken) throw new Conflict('COMMITMENT_EXISTS', `This Compact already has a commitment ${c.reference}; edit that one instead.`);
      const [row] = await m.query(
        `INSERT INTO commitments (compact_id, section_id, reference, text, binds, wording, rule, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT coalesce(max(position), -1) + 1 FROM commitments WHERE compact_id = $1)) RETURNING id`,
        [compactId, sectionId, c.reference, c.text, c.binds, c.wording, c.rule === undefined ? null : JSON.stringify(c.rule)],
      );
      this.logger.log({ compactId, commitmentId: row.id, reference: c.reference, hasRule: c.rule !== undefined }, 'Commitment added');
      return { id: row.id };
    });
  }

  async updateCommitment(id: string, body: unknown): Promise<void> {
    const patch = parseOrThrow(commitmentPatchSchema, body);
    if (patch.rule !== null) checkRule(patch.rule);
    await this.dataSource.transaction(async (m) => {
      const [current] = isUuid(id) ? await m.query(`SELECT compact_id FROM commitments WHERE id = $1 FOR UPDATE`, [id]) : [];
      if (!current) throw new NotFound(`Commitment ${id}`, 'COMMITMENT_NOT_FOUND');
      const sectionId = patch.section ? await this.sectionId(m, current.compact_id, patch.section) : null;
      await m.query(
        `UPDATE commitments SET text = coalesce($2, text), binds = coalesce($3, binds), wording = coalesce($4, wording),
           section_id = coalesce($5, section_id), rule = CASE WHEN $6::boolean THEN $7::jsonb ELSE rule END, updated_at = now()
         WHERE id = $1`,
        [id, patch.text ?? null, patch.binds ?? null, patch.wording ?? null, sectionId, 'rule' in patch, patch.rule == null ? null : JSON.stringify(patch.rule)],
      );
    });
    this.logger.log({ commitmentId: id, fields: Object.keys(patch) }, 'Commitment updated');
  }

  async deleteCommitment(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [current] = isUuid(id) ? await m.query(`SELECT id FROM commitments WHERE id = $1 FOR UPDATE`, [id]) : [];
      if (!current) throw new NotFound(`Commitment ${id}`, 'COMMITMENT_NOT_FOUND');
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM cases WHERE $1 = ANY(commitment_ids)`, [id]);
      if (n > 0) throw new Conflict('COMMITMENT_IN_USE', `${n} case(s) name this commitment, so it cannot be removed; edit its text instead.`, { cases: n });
      await m.query(`DELETE FROM commitments WHERE id = $1`, [id]);
    });
  }

  async setSignatory(compactId: string, organisationId: string, body: unknown): Promise<void> {
    const { signedOn } = parseOrThrow(signatorySchema, body ?? {});
    await this.dataSource.transaction(async (m) => {
      await this.compactRow(m, compactId);
      await this.organisationRow(m, organisationId);
      await m.query(
        `INSERT INTO compact_signatories (compact_id, organisation_id, signed_on) VALUES ($1, $2, $3)
         ON CONFLICT (compact_id, organisation_id) DO UPDATE SET signed_on = EXCLUDED.signed_on`,
        [compactId, organisationId, signedOn ?? null],
      );
    });
  }

  async removeSignatory(compactId: string, organisationId: string): Promise<void> {
    const rows = isUuid(compactId) && isUuid(organisationId)
      ? await queryRows(this.dataSource, `DELETE FROM compact_signatories WHERE compact_id = $1 AND organisation_id = $2 RETURNING 1`, [compactId, organisationId])
      : [];
    if (rows.length === 0) throw new NotFound('That signatory', 'SIGNATORY_NOT_FOUND');
  }

  async setLeadContact(compactId: string, sector: string, body: unknown): Promise<void> {
    if (sector !== 'voluntary' && sector !== 'public') throw new ValidationFailed([{ field: 'sector', reason: 'must be voluntary or public' }]);
    const contact = parseOrThrow(leadContactSchema, body);
    await this.dataSource.transaction(async (m) => {
      await this.compactRow(m, compactId);
      if (contact.organisationId) await this.organisationRow(m, contact.organisationId, 'organisationId');
      await m.query(
        `INSERT INTO compact_lead_contacts (compact_id, sector, name, email, phone, organisation_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (compact_id, sector) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, phone = EXCLUDED.phone, organisation_id = EXCLUDED.organisation_id`,
        [compactId, sector, contact.name, contact.email ?? null, contact.phone ?? null, contact.organisationId ?? null],
      );
    });
  }

  async createOrganisation(body: unknown): Promise<{ id: string }> {
    const o = checkOrganisation(parseOrThrow(organisationSchema, body));
    return this.dataSource.transaction(async (m) => {
      const [taken] = await m.query(`SELECT id FROM organisations WHERE lower(name) = lower($1) AND coalesce(lower(area), '') = coalesce(lower($2), '')`, [o.name, o.area ?? null]);
      if (taken) throw new Conflict('ORGANISATION_EXISTS', `An organisation called "${o.name}" is already registered${o.area ? ` in ${o.area}` : ''}.`, { organisationId: taken.id });
      const [row] = await m.query(
        `INSERT INTO organisations (name, sector, body_type, area, charity_number, website) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [o.name, o.sector, o.sector === 'public' ? o.bodyType : null, o.area ?? null, o.charityNumber ?? null, o.website ?? null],
      );
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
        const [uses] = await m.query(
          `SELECT (SELECT count(*)::int FROM users WHERE organisation_id = $1 AND role = 'reporter') AS reporters,
                  (SELECT count(*)::int FROM cases WHERE respondent_organisation_id = $1) AS against,
                  (SELECT count(*)::int FROM cases WHERE reporting_organisation_id = $1) AS reported`,
          [id],
        );
        const inUse = merged.sector === 'public' ? uses.reporters + uses.reported : uses.against;
        if (inUse > 0) {
          const what = merged.sector === 'public' ? `${uses.reporters} reporter account(s) and ${uses.reported} case(s) it reported` : `${uses.against} case(s) against it`;
          throw new ValidationFailed([{ field: 'sector', reason: `cannot change: ${what} rely on it being ${current.sector === 'public' ? 'a public body' : 'a voluntary organisation'}` }]);
        }
      }
      const [taken] = await m.query(
        `SELECT id FROM organisations WHERE lower(name) = lower($1) AND coalesce(lower(area), '') = coalesce(lower($2), '') AND id <> $3`,
        [merged.name, merged.area ?? null, id],
      );
      if (taken) throw new Conflict('ORGANISATION_EXISTS', `Another organisation called "${merged.name}" is already registered${merged.area ? ` in ${merged.area}` : ''}.`, { organisationId: taken.id });
      await m.query(
        `UPDATE organisations SET name = $2, sector = $3, body_type = $4, area = $5, charity_number = $6, website = $7, updated_at = now() WHERE id = $1`,
        [id, merged.name, merged.sector, merged.sector === 'public' ? merged.bodyType : null, merged.area ?? null, merged.charityNumber ?? null, merged.website ?? null],
      );
    });
    this.logger.log({ organisationId: id, fields: Object.keys(patch) }, 'Organisation updated');
  }

  private async compactRow(m: EntityManager, id: string): Promise<{ id: string; scope: string; area: string | null }> {
    const [row] = isUuid(id) ? await m.query(`SELECT id, scope, area FROM compacts WHERE id = $1 FOR UPDATE`, [id]) : [];
    if (!row) throw new NotFound(`Compact ${id}`, 'COMPACT_NOT_FOUND');
    return row;
  }

  private async organisationRow(m: EntityManager, id: string, field?: string) {
    const [row] = isUuid(id) ? await m.query(`SELECT * FROM organisations WHERE id = $1`, [id]) : [];
    if (!row && field) throw new ValidationFailed([{ field, reason: 'is not a known organisation' }]);
    if (!row) throw new NotFound(`Organisation ${id}`, 'ORGANISATION_NOT_FOUND');
    return row;
  }

  private async sectionId(m: EntityManager, compactId: string, code: string): Promise<string> {
    const [row] = await m.query(`SELECT id FROM compact_sections WHERE compact_id = $1 AND lower(code) = lower($2)`, [compactId, code]);
    if (!row) throw new ValidationFailed([{ field: 'section', reason: `names section "${code}", which this Compact does not have; add the section first` }]);
    return row.id;
  }

  private async refuseTakenName(m: EntityManager, name: string, exceptId: string): Promise<void> {
    const [taken] = await m.query(`SELECT id FROM compacts WHERE lower(name) = lower($1) AND id <> $2`, [name, exceptId]);
    if (taken) throw new Conflict('COMPACT_EXISTS', `Another Compact is already called "${name}".`, { compactId: taken.id });
  }
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
