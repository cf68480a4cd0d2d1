import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@cc/identity';
import { MoveDryRun, MoveRunRequest, MoveRunResult } from './move-to-version-2.dto';
import { MoveToVersion2 } from './move-to-version-2';

/** GET (dry run) and POST (run) /api/process-versions/move-to-2: moving open version 1 cases to version 2. */
@ApiTags('process versions')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Administrators only' })
@Controller('process-versions')
export class MoveToVersion2Controller {
  constructor(private readonly move: MoveToVersion2) {}

  @Get('move-to-2')
  @Roles('administrator')
  @ApiOkResponse({ type: MoveDryRun, description: 'Each open version 1 case with the version 2 state it would move to, or why it cannot move' })
  dryRun(@CurrentCaller() caller: Caller): Promise<MoveDryRun> {
    return this.move.dryRun(caller);
  }

  @Post('move-to-2')
  @HttpCode(200)
  @Roles('administrator')
  @ApiOkResponse({ type: MoveRunResult, description: 'The cases moved, and those that stayed with why' })
  @ApiBadRequestResponse({ description: 'caseIds is not a list of case ids' })
  run(@CurrentCaller() caller: Caller, @Body() body: MoveRunRequest): Promise<MoveRunResult> {
    return this.move.run(caller, body?.caseIds);
  }
}
