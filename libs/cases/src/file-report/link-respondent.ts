import { Injectable, Logger } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { Conflict, Forbidden, ValidationFailed } from '@cc/common';
import type { Caller } from '@cc/identity';
import { runSql, sql } from '@cc/persistence';
import { RegistryLookup, RegistryQueries, ReportFacts, UnverifiedOrganisation } from '@cc/registry';
import { CaseAccess } from '../domain/case-access.service';
import { ReportTriage } from './report-triage';

export class LinkRespondentRequest {
  @ApiProperty({ format: 'uuid', description: 'The public body in the registry that the reporter meant' })
  @IsUUID('all', { message: 'must be the id of a public body in the registry' })
  organisationId: string;
}

export class RespondentLinked {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ description: 'The registry organisation the case is now against' }) respondent: { id: string; name: string };
  @ApiProperty({ description: 'The public body as the reporter typed it' }) typed: { name: string; area: string | null };
  @ApiProperty({ description: 'Whether the placeholder organisation was deleted (no other record named it)' }) placeholderRemoved: boolean;
}

/**
 * A caseworker links a case filed against a public body the reporter typed (not in the registry)
 * to the registry's own organisation: the case's respondent is re-pointed, the triage hints are
 * worked out again for the real body, an internal note records what was typed and what it became,
 * and the placeholder goes once nothing names it. Statistics follow by themselves: changing a
 * case's respondent marks its day for the rollups to be rewritten, so it is counted once, under
 * the registry body.
 */
@Injectable()
export class LinkRespondent {
  private readonly logger = new Logger(LinkRespondent.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
    private readonly registry: RegistryLookup,
    private readonly queries: RegistryQueries,
  ) {
    this.triage = new ReportTriage(dataSource, registry);
  }

  private readonly triage: ReportTriage;

  /** The unlisted public body of a case the caller may see, or null when its body is in the registry. */
  async unlistedBodyOf(caller: Caller, caseId: string): Promise<{ caseId: string; reference: string; title: string; body: UnverifiedOrganisation } | null> {
    const c = await this.access.visibleCase(caller, caseId);
    assertStaff(caller);
    const body = await this.queries.unverifiedOrganisation(c.respondentOrganisationId);
    return body ? { caseId: c.id, reference: c.reference, title: c.title, body } : null;
  }

  async execute(caller: Caller, caseId: string, request: LinkRespondentRequest): Promise<RespondentLinked> {
    // 404 first: someone who may not see the case learns nothing about it, not even that it exists.
    const c = await this.access.visibleCase(caller, caseId);
    assertStaff(caller);
    const placeholder = await this.queries.unverifiedOrganisation(c.respondentOrganisationId);
    if (!placeholder) {
      throw new Conflict('RESPONDENT_IN_REGISTRY', 'The public body on this case is already in the registry, so there is nothing to link.');
    }
    const target = await this.registry.findOrganisation(request.organisationId);
    const targetUnverified = target ? await this.queries.unverifiedOrganisation(target.id) : null;
    if (!target || targetUnverified) throw new ValidationFailed([{ field: 'organisationId', reason: 'is not an organisation in the registry; search the registry for the public body' }]);
    if (target.sector !== 'public') throw new ValidationFailed([{ field: 'organisationId', reason: 'is not a public body; a case is against a public body' }]);
    if (target.id === c.reportingOrganisationId) throw new ValidationFailed([{ field: 'organisationId', reason: 'is the reporting organisation itself' }]);

    const [compact, commitments] = await Promise.all([this.registry.findCompact(c.compactId), this.registry.commitmentsByIds(c.commitmentIds)]);
    const hints = await this.triage.hintsFor(
      { compactId: c.compactId, happenedOn: c.happenedOn, respondentId: target.id },
      { respondentName: target.name, compactName: compact?.name ?? '', commitments },
      (c.facts ?? {}) as ReportFacts,
      c.submittedAt,
      undefined,
      c.id,
    );
    const typed = placeholder.area ? `“${placeholder.name}” (${placeholder.area})` : `“${placeholder.name}”`;

    await this.dataSource.transaction(async (m) => {
      // Only from the placeholder: a second caseworker linking at the same moment gets a 409, not a silent overwrite.
      const moved = await runSql(
        m,
        sql`UPDATE cases SET respondent_organisation_id = ${target.id}, triage_hints = ${JSON.stringify(hints)}, updated_at = now()
             WHERE id = ${c.id} AND respondent_organisation_id = ${placeholder.id} RETURNING id`,
      );
      if (moved.length === 0) {
        throw new Conflict('RESPONDENT_IN_REGISTRY', 'Someone else linked this case to the registry a moment ago. Open the case again to see the public body now.');
      }
      const note = `Public body linked to the registry: the reporter typed ${typed}; the case is now against ${target.name}.`;
      await runSql(m, sql`INSERT INTO case_notes (case_id, author_id, visibility, body) VALUES (${c.id}, ${caller.userId}, 'internal', ${note})`);
    });

    const placeholderRemoved = await this.removePlaceholder(placeholder.id);
    this.logger.log({ caseId: c.id, placeholderId: placeholder.id, organisationId: target.id, placeholderRemoved, by: caller.userId }, 'Unlisted public body linked to the registry');
    return { caseId: c.id, respondent: { id: target.id, name: target.name }, typed: { name: placeholder.name, area: placeholder.area }, placeholderRemoved };
  }

  /** Deletes the placeholder when no record names it any more; kept (still unverified, out of searches) when one does. */
  private async removePlaceholder(id: string): Promise<boolean> {
    try {
      const removed = await runSql(
        this.dataSource,
        sql`DELETE FROM organisations o WHERE o.id = ${id} AND o.unverified
               AND NOT EXISTS (SELECT 1 FROM cases WHERE respondent_organisation_id = o.id OR reporting_organisation_id = o.id)
             RETURNING o.id`,
      );
      return removed.length > 0;
    } catch (err) {
      // Another table refers to it (a foreign key): harmless to keep, as searches leave it out.
      this.logger.warn({ err: err instanceof Error ? err.message : String(err), organisationId: id }, 'Placeholder organisation kept: still referred to');
      return false;
    }
  }
}

function assertStaff(caller: Caller): void {
  if (caller.role !== 'caseworker' && caller.role !== 'administrator') {
    throw new Forbidden('STAFF_ONLY', 'Only a caseworker or an administrator can link a case to the registry.');
  }
}
