import { Module } from '@nestjs/common';
import { MoveToVersion2Controller } from './move-to-version-2.controller';
import { MoveToVersion2 } from './move-to-version-2';
import { MoveToVersion2Store } from './move-to-version-2.store';

/** Moving running cases to version 2 of the process (administrators): the API here, the page in libs/web. */
@Module({
  controllers: [MoveToVersion2Controller],
  providers: [MoveToVersion2, MoveToVersion2Store],
  exports: [MoveToVersion2],
})
export class MoveToVersion2Module {}
