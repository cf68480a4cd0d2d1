import { Injectable, Param, PipeTransform } from '@nestjs/common';
import { NotFound } from './domain-error';
import { isUuid } from './ids';

/**
 * A path id that must be a UUID: anything else names nothing, so the caller gets the same 404 as
 * for an id that does not exist (never a 400 or a database error, and nothing learned from which).
 */
@Injectable()
export class ParseUuidPipe implements PipeTransform<string, string> {
  /** `what` as the 404 names it; a function when the message names the id asked for, as some do ("Compact <id>"). */
  constructor(
    private readonly what: string | ((value: string) => string),
    private readonly code = 'NOT_FOUND',
  ) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !isUuid(value)) throw new NotFound(typeof this.what === 'string' ? this.what : this.what(String(value)), this.code);
    return value;
  }
}

/** @Param(name) checked by ParseUuidPipe: `@UuidParam('id', 'That person') id: string`. `what` and `code` are the 404's. */
export function UuidParam(name: string, what: string | ((value: string) => string), code?: string): ParameterDecorator {
  return Param(name, new ParseUuidPipe(what, code));
}
