import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { UuidParam } from '@cc/common';
import { type Caller, CurrentCaller, Roles } from '@cc/identity';
import { RespondentContact, RespondentContacts, contactPatchSchema, contactSchema } from './respondent-contacts';

const schema = (s: z.ZodTypeAny) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return rest;
};

const ORGANISATION = (id: string) => `Organisation ${id}`;
const CONTACT = (id: string) => `Contact ${id}`;

/** The people at a public body who answer for it, kept by caseworkers and administrators. */
@ApiTags('registry: respondent contacts')
@ApiBearerAuth()
@Roles('caseworker', 'administrator')
@Controller('organisations')
export class RespondentContactsController {
  constructor(private readonly contacts: RespondentContacts) {}

  @Get(':id/contacts')
  async list(@UuidParam('id', ORGANISATION, 'ORGANISATION_NOT_FOUND') id: string): Promise<RespondentContact[]> {
    await this.contacts.publicBody(id);
    return this.contacts.listFor(id);
  }

  @Post(':id/contacts')
  @ApiBody({ schema: schema(contactSchema), description: 'A new contact; their account (role respondent, signing in by link only) is made with them' })
  add(@CurrentCaller() caller: Caller, @UuidParam('id', ORGANISATION, 'ORGANISATION_NOT_FOUND') id: string, @Body() body: unknown): Promise<RespondentContact> {
    return this.contacts.add(caller.userId, id, body);
  }

  @Patch(':orgId/contacts/:contactId')
  @ApiBody({ schema: schema(contactPatchSchema), description: 'Change the name, e-mail or job title; `active: false` deactivates the contact and ends their sign-ins' })
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('orgId', ORGANISATION, 'ORGANISATION_NOT_FOUND') orgId: string,
    @UuidParam('contactId', CONTACT, 'CONTACT_NOT_FOUND') contactId: string,
    @Body() body: unknown,
  ): Promise<RespondentContact> {
    return this.contacts.update(caller.userId, orgId, contactId, body);
  }
}
