import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@cc/identity';
import { LinkRespondent, LinkRespondentRequest, RespondentLinked } from './link-respondent';

/** POST /api/cases/:id/respondent: link a case's unlisted public body to the registry (staff). */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class UnlistedRespondentsController {
  constructor(private readonly link: LinkRespondent) {}

  @Post(':id/respondent')
  @HttpCode(200)
  @ApiOkResponse({ type: RespondentLinked })
  @ApiBadRequestResponse({ description: 'organisationId is not a public body in the registry' })
  @ApiForbiddenResponse({ description: 'Only caseworkers and administrators link public bodies' })
  @ApiNotFoundResponse({ description: 'No such case, or not one you may see' })
  @ApiConflictResponse({ description: "The case's public body is already in the registry" })
  linkRespondent(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: LinkRespondentRequest): Promise<RespondentLinked> {
    return this.link.execute(caller, id, body);
  }
}
