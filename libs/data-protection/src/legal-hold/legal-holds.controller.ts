import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '@cc/identity';
import type { Caller } from '@cc/identity';
import { LegalHoldRequest, LegalHoldView, LegalHolds } from './legal-holds';

// No @Roles: whether the caller may see the case is answered first (404, as on every case
// endpoint), and only then whether holds are for their role (403).
@ApiTags('data protection')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'No such case, or not one the caller may see' })
@Controller('cases/:id/legal-hold')
export class LegalHoldsController {
  constructor(private readonly holds: LegalHolds) {}

  @Get()
  @ApiOkResponse({ type: LegalHoldView })
  show(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<LegalHoldView> {
    return this.holds.view(caller, id);
  }

  @Post()
  @ApiCreatedResponse({ type: LegalHoldView, description: 'The case is on hold: retention and erasure leave it as it is' })
  @ApiBadRequestResponse({ description: 'No reason given' })
  @ApiConflictResponse({ description: 'Already on hold' })
  place(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: LegalHoldRequest): Promise<LegalHoldView> {
    return this.holds.place(caller, id, body.reason);
  }

  @Post('lift')
  @HttpCode(200)
  @ApiOkResponse({ type: LegalHoldView })
  @ApiBadRequestResponse({ description: 'No reason given' })
  @ApiConflictResponse({ description: 'Not on hold' })
  lift(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: LegalHoldRequest): Promise<LegalHoldView> {
    return this.holds.lift(caller, id, body.reason);
  }
}
