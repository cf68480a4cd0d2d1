import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationFailed } from './domain-error';

/** class-validator's nested errors as the API's field errors: `parent.child` and a reason. */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      // class-validator starts messages with the property name; the field is already named.
      reason: message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message,
    }));
    return [...own, ...fieldErrorsOf(e.children ?? [], field)];
  });
}

/** Body and query validation for class-validator DTOs: unknown fields refused, errors per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailed(fieldErrorsOf(errors)),
  });
}
