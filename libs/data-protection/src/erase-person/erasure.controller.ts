import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ValidationFailed } from '@cc/common';
import { CurrentCaller, Roles } from '@cc/identity';
import type { Caller } from '@cc/identity';
import { EraseRequest, ErasePerson, ErasurePreview, ErasureResult } from './erase-person';

/** Erasing a person on request: what it would change, then doing it. Administrators only. */
@ApiTags('data protection')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Only administrators erase people' })
@Roles('administrator')
@Controller('admin/erasure')
export class ErasureController {
  constructor(private readonly erasePerson: ErasePerson) {}

  @Get()
  @ApiQuery({ name: 'email', required: true })
  @ApiOkResponse({ description: 'What erasing the person would change, or why it cannot be done now' })
  @ApiBadRequestResponse({ description: 'No e-mail address given' })
  preview(@CurrentCaller() caller: Caller, @Query('email') email: unknown): Promise<ErasurePreview> {
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim()) || email.length > 320) {
      throw new ValidationFailed([{ field: 'email', reason: 'must be an e-mail address' }]);
    }
    return this.erasePerson.preview(email, caller);
  }

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The person is erased: what changed' })
  @ApiNotFoundResponse({ description: 'Nothing is held about that address' })
  @ApiConflictResponse({ description: 'Refused: details.refusals says why (an open case, a legal hold, their own account, the last administrator)' })
  erase(@CurrentCaller() caller: Caller, @Body() body: EraseRequest): Promise<ErasureResult> {
    return this.erasePerson.erase(caller, body.email);
  }
}
