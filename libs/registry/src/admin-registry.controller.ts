import { Body, Controller, Delete, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { UuidParam, ValidationFailed } from '@cc/common';
import { Roles } from '@cc/identity';
import { COMPACT_CSV_COLUMNS } from './import-compact/compact-csv';
import { compactDefinitionSchema } from './import-compact/compact-definition';
import { CompactImporter, ImportedCompact } from './import-compact/compact-importer';
import { RegistryEditor, commitmentPatchSchema, compactPatchSchema, leadContactSchema, organisationSchema } from './edit-registry/registry-editor';
import { commitmentSchema, sectionSchema } from './import-compact/compact-definition';

const schema = (s: z.ZodTypeAny) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return rest;
};

/** How a 404 names what was asked for by id. */
const COMPACT = (id: string) => `Compact ${id}`;
const COMMITMENT = (id: string) => `Commitment ${id}`;
const ORGANISATION = (id: string) => `Organisation ${id}`;

/** Administrators keep the registry: Compacts, their commitments and rules, who signed, organisations. */
@ApiTags('admin: registry')
@ApiBearerAuth()
@Roles('administrator')
@Controller('admin')
export class AdminRegistryController {
  constructor(
    private readonly importer: CompactImporter,
    private readonly editor: RegistryEditor,
  ) {}

  @Post('compacts')
  @ApiBody({ schema: schema(compactDefinitionSchema), description: 'A Compact, with or without its sections and commitments' })
  @ApiCreatedResponse({ description: 'Created; the summary says what was written' })
  createCompact(@Body() body: unknown): Promise<ImportedCompact> {
    return this.importer.importJson(body);
  }

  @Post('compacts/import')
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    description: `JSON: the same document as POST /api/admin/compacts. CSV: one row per commitment, columns ${COMPACT_CSV_COLUMNS.join(', ')}. Nothing is written unless every row is good; errors name the row.`,
  })
  importCompact(@Req() req: { headers: Record<string, string | undefined> }, @Body() body: unknown): Promise<ImportedCompact> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'text/csv') return this.importer.importCsv(String(body ?? ''));
    if (type === 'application/json') return this.importer.importJson(body);
    throw new ValidationFailed([{ field: 'Content-Type', reason: 'must be application/json or text/csv' }]);
  }

  @Patch('compacts/:id')
  @HttpCode(204)
  @ApiBody({ schema: schema(compactPatchSchema) })
  updateCompact(@UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string, @Body() body: unknown): Promise<void> {
    return this.editor.updateCompact(id, body);
  }

  @Post('compacts/:id/sections')
  @ApiBody({ schema: schema(sectionSchema) })
  addSection(@UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string, @Body() body: unknown): Promise<{ id: string }> {
    return this.editor.addSection(id, body);
  }

  @Post('compacts/:id/commitments')
  @ApiBody({ schema: schema(commitmentSchema) })
  addCommitment(@UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string, @Body() body: unknown): Promise<{ id: string }> {
    return this.editor.addCommitment(id, body);
  }

  @Patch('commitments/:id')
  @HttpCode(204)
  @ApiBody({ schema: schema(commitmentPatchSchema), description: 'rule: null removes the rule' })
  updateCommitment(@UuidParam('id', COMMITMENT, 'COMMITMENT_NOT_FOUND') id: string, @Body() body: unknown): Promise<void> {
    return this.editor.updateCommitment(id, body);
  }

  @Delete('commitments/:id')
  @HttpCode(204)
  deleteCommitment(@UuidParam('id', COMMITMENT, 'COMMITMENT_NOT_FOUND') id: string): Promise<void> {
    return this.editor.deleteCommitment(id);
  }

  @Put('compacts/:id/signatories/:organisationId')
  @HttpCode(204)
  setSignatory(@UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string, @UuidParam('organisationId', ORGANISATION, 'ORGANISATION_NOT_FOUND') organisationId: string, @Body() body: unknown): Promise<void> {
    return this.editor.setSignatory(id, organisationId, body);
  }

  @Delete('compacts/:id/signatories/:organisationId')
  @HttpCode(204)
  removeSignatory(@UuidParam('id', 'That signatory', 'SIGNATORY_NOT_FOUND') id: string, @UuidParam('organisationId', 'That signatory', 'SIGNATORY_NOT_FOUND') organisationId: string): Promise<void> {
    return this.editor.removeSignatory(id, organisationId);
  }

  @Put('compacts/:id/lead-contacts/:sector')
  @HttpCode(204)
  @ApiBody({ schema: schema(leadContactSchema) })
  setLeadContact(@UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string, @Param('sector') sector: string, @Body() body: unknown): Promise<void> {
    return this.editor.setLeadContact(id, sector, body);
  }

  @Post('organisations')
  @ApiBody({ schema: schema(organisationSchema) })
  createOrganisation(@Body() body: unknown): Promise<{ id: string }> {
    return this.editor.createOrganisation(body);
  }

  @Patch('organisations/:id')
  @HttpCode(204)
  @ApiBody({ schema: schema(organisationSchema.partial()) })
  updateOrganisation(@UuidParam('id', ORGANISATION, 'ORGANISATION_NOT_FOUND') id: string, @Body() body: unknown): Promise<void> {
    return this.editor.updateOrganisation(id, body);
  }
}
