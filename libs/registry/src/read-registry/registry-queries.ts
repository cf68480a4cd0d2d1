import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Sql, joinSql, rawSql, runSql, sql } from '@cc/persistence';
import { NotFound, isUuid } from '@cc/common';
import { BODY_TYPE_LABELS } from '../import-compact/compact-definition';
import { CommitmentRule, REPORT_FACTS } from '../rules/commitment-rule';
import { CommitmentView, CompactDetail, CompactSummary, LeadContactView, OrganisationView, ReportFactView, SectionView, SignatoryView } from './registry.dto';

export interface CompactSearch {
  q?: string;
  area?: string;
  status?: string;
  limit: number;
}

export interface OrganisationSearch {
  q?: string;
  sector?: 'voluntary' | 'public';
  bodyType?: string;
  area?: string;
  /** Only organisations that signed this Compact. */
  compactId?: string;
  limit: number;
}

/** A public body a reporter typed because it was not in the registry, awaiting a caseworker's link. */
export interface UnverifiedOrganisation {
  id: string;
  name: string;
  area: string | null;
  suggestedBy: string | null;
  suggestedAt: Date | null;
}

const COMPACT_COLUMNS = rawSql(`c.id, c.name, c.scope, c.area, to_char(c.adopted_on, 'YYYY-MM-DD') AS "adoptedOn", c.status, c.source_url AS "sourceUrl",
  (SELECT count(*)::int FROM commitments k WHERE k.compact_id = c.id) AS "commitmentCount"`);
const ORGANISATION_COLUMNS = rawSql(`o.id, o.name, o.sector, o.body_type AS "bodyType", o.area, o.charity_number AS "charityNumber", o.website`);

/** What reporters and caseworkers read from the registry: search, one Compact whole, signatories. */
@Injectable()
export class RegistryQueries {
  constructor(private readonly dataSource: DataSource) {}

  async searchCompacts(search: CompactSearch): Promise<CompactSummary[]> {
    const where: Sql[] = [];
    if (search.q) {
      const pattern = `%${escapeLike(search.q)}%`;
      where.push(sql`(c.name ILIKE ${pattern} OR c.area ILIKE ${pattern})`);
    }
    if (search.area) where.push(sql`(lower(c.area) = lower(${search.area}) OR c.scope = 'national')`);
    if (search.status) where.push(sql`c.status = ${search.status}`);
    return runSql<CompactSummary>(
      this.dataSource,
      sql`SELECT ${COMPACT_COLUMNS} FROM compacts c ${where.length ? sql`WHERE ${joinSql(where, ' AND ')}` : rawSql('')}
        ORDER BY c.status = 'active' DESC, c.scope = 'national' DESC, c.name LIMIT ${search.limit}`,
    );
  }

  async compact(id: string): Promise<CompactDetail> {
    const [compact] = isUuid(id) ? await runSql<CompactSummary & { summary: string | null }>(this.dataSource, sql`SELECT ${COMPACT_COLUMNS}, c.summary FROM compacts c WHERE c.id = ${id}`) : [];
    if (!compact) throw new NotFound(`Compact ${id}`, 'COMPACT_NOT_FOUND');
    const [sections, commitments, leadContacts, [{ n }]] = await Promise.all([
      runSql<SectionView>(this.dataSource, sql`SELECT id, code, title, kind, wording FROM compact_sections WHERE compact_id = ${id} ORDER BY position, code`),
      this.commitments(id),
      runSql<LeadContactView>(this.dataSource, sql`SELECT l.sector, l.name, l.email, l.phone, CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'name', o.name) END AS organisation
           FROM compact_lead_contacts l LEFT JOIN organisations o ON o.id = l.organisation_id WHERE l.compact_id = ${id} ORDER BY l.sector`),
      runSql<{ n: number }>(this.dataSource, sql`SELECT count(*)::int AS n FROM compact_signatories WHERE compact_id = ${id}`),
    ]);
    return { ...compact, sections, commitments, leadContacts, signatoryCount: n };
  }

  async commitments(compactId: string): Promise<CommitmentView[]> {
    if (!isUuid(compactId)) throw new NotFound(`Compact ${compactId}`, 'COMPACT_NOT_FOUND');
    const rows: Array<Omit<CommitmentView, 'factsChecked'>> = await runSql(this.dataSource, sql`SELECT k.id, k.reference, s.code AS "sectionCode", k.text, k.binds, k.wording, k.rule
         FROM commitments k LEFT JOIN compact_sections s ON s.id = k.section_id
        WHERE k.compact_id = ${compactId} ORDER BY s.position NULLS LAST, k.position, k.reference`);
    if (rows.length === 0) await this.ensureCompact(compactId);
    return rows.map((r) => ({ ...r, factsChecked: factsOf(r.rule) }));
  }

  async signatories(compactId: string): Promise<SignatoryView[]> {
    await this.ensureCompact(compactId);
    const rows = await runSql<OrganisationView & { signedOn: string | null }>(this.dataSource, sql`SELECT ${ORGANISATION_COLUMNS}, to_char(s.signed_on, 'YYYY-MM-DD') AS "signedOn"
         FROM compact_signatories s JOIN organisations o ON o.id = s.organisation_id
        WHERE s.compact_id = ${compactId} ORDER BY o.sector = 'public' DESC, o.name`);
    return rows.map(({ signedOn, ...o }: OrganisationView & { signedOn: string | null }) => ({ organisation: toOrganisationView(o), signedOn }));
  }

  async searchOrganisations(search: OrganisationSearch): Promise<OrganisationView[]> {
    const where: Sql[] = [];
    if (search.q) where.push(sql`o.name ILIKE ${`%${escapeLike(search.q)}%`}`);
    if (search.sector) where.push(sql`o.sector = ${search.sector}`);
    if (search.bodyType) where.push(sql`o.body_type = ${search.bodyType}`);
    if (search.area) where.push(sql`lower(o.area) = lower(${search.area})`);
    if (search.compactId) where.push(sql`EXISTS (SELECT 1 FROM compact_signatories s WHERE s.organisation_id = o.id AND s.compact_id = ${search.compactId})`);
    // Bodies typed by reporters are not the registry's until a caseworker links them.
    where.push(sql`NOT o.unverified`);
    // Names that start with what was typed come first: that is what someone typing a name wants.
    const rank = search.q ? sql`o.name ILIKE ${`${escapeLike(search.q)}%`} DESC,` : rawSql('');
    const rows = await runSql<Omit<OrganisationView, 'bodyTypeLabel'>>(
      this.dataSource,
      sql`SELECT ${ORGANISATION_COLUMNS} FROM organisations o WHERE ${joinSql(where, ' AND ')} ORDER BY ${rank} o.name LIMIT ${search.limit}`,
    );
    return rows.map(toOrganisationView);
  }

  /** The Compacts an organisation signed, active ones first. */
  signedCompacts(organisationId: string): Promise<CompactSummary[]> {
    if (!isUuid(organisationId)) return Promise.resolve([]);
    return runSql<CompactSummary>(this.dataSource, sql`SELECT ${COMPACT_COLUMNS} FROM compacts c
        WHERE EXISTS (SELECT 1 FROM compact_signatories s WHERE s.compact_id = c.id AND s.organisation_id = ${organisationId})
        ORDER BY c.status = 'active' DESC, c.scope = 'national' DESC, c.name`);
  }

  /** Which side each of these commitments binds ('public', 'voluntary', 'both'), by lower-case reference. */
  async commitmentSides(compactId: string, references: string[]): Promise<Map<string, string>> {
    if (!isUuid(compactId) || references.length === 0) return new Map();
    const rows: Array<{ reference: string; binds: string }> = await runSql(this.dataSource, sql`SELECT lower(reference) AS reference, binds FROM commitments WHERE compact_id = ${compactId} AND lower(reference) = ANY(${references.map((r) => r.trim().toLowerCase())}::text[])`);
    return new Map(rows.map((r) => [r.reference, r.binds]));
  }

  /** The organisation when it is a placeholder a reporter typed (not yet in the registry); else null. */
  async unverifiedOrganisation(id: string): Promise<UnverifiedOrganisation | null> {
    if (!isUuid(id)) return null;
    const [row] = await runSql<UnverifiedOrganisation>(this.dataSource, sql`SELECT id, name, area, suggested_by AS "suggestedBy", suggested_at AS "suggestedAt" FROM organisations WHERE id = ${id} AND unverified`);
    return row ?? null;
  }

  /**
   * Registry public bodies that may be the one a reporter typed: a name sharing a distinctive
   * word with it, or the same area. Best matches first.
   */
  async publicBodiesLike(name: string, area: string | null, limit = 8): Promise<OrganisationView[]> {
    const words = [...new Set(name.toLowerCase().split(/[^a-z0-9']+/).filter((w) => w.length > 2 && !COMMON_WORDS.has(w)))].slice(0, 6);
    if (words.length === 0 && !area) return [];
    const rows = await runSql<Omit<OrganisationView, 'bodyTypeLabel'>>(this.dataSource, sql`SELECT ${ORGANISATION_COLUMNS},
              (SELECT count(*) FROM unnest(${words.map(escapeLike)}::text[]) w WHERE o.name ILIKE '%' || w || '%') AS score
         FROM organisations o
        WHERE o.sector = 'public' AND NOT o.unverified
          AND (EXISTS (SELECT 1 FROM unnest(${words.map(escapeLike)}::text[]) w WHERE o.name ILIKE '%' || w || '%') OR (${area}::text IS NOT NULL AND lower(o.area) = lower(${area})))
        ORDER BY score DESC, o.name LIMIT ${limit}`);
    return rows.map(toOrganisationView);
  }

  reportFacts(): ReportFactView[] {
    return Object.entries(REPORT_FACTS).map(([name, f]) => ({ name, type: f.type, label: f.label }));
  }

  private async ensureCompact(id: string): Promise<void> {
    const [found] = isUuid(id) ? await runSql(this.dataSource, sql`SELECT 1 FROM compacts WHERE id = ${id}`) : [];
    if (!found) throw new NotFound(`Compact ${id}`, 'COMPACT_NOT_FOUND');
  }
}

export function toOrganisationView(o: Omit<OrganisationView, 'bodyTypeLabel'>): OrganisationView {
  return {
    id: o.id,
    name: o.name,
    sector: o.sector,
    bodyType: o.bodyType,
    bodyTypeLabel: o.bodyType ? (BODY_TYPE_LABELS[o.bodyType as keyof typeof BODY_TYPE_LABELS] ?? o.bodyType) : null,
    area: o.area,
    charityNumber: o.charityNumber,
    website: o.website,
  };
}

function factsOf(rule: CommitmentRule | null): string[] {
  if (!rule) return [];
  return rule.kind === 'minimum_period' ? [rule.from, rule.to, ...(rule.unless ? [rule.unless] : [])] : [rule.fact];
}

/** Words too common in public bodies' names to say which one was meant. */
const COMMON_WORDS = new Set(['the', 'and', 'council', 'county', 'district', 'borough', 'city', 'nhs', 'trust', 'service', 'services', 'for', 'authority', 'police', 'fire', 'rescue', 'parish', 'town']);

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
