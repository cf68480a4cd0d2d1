import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Forbidden } from '@cc/common';
import type { Role } from '@cc/workflows';
import type { Caller } from '../domain/caller';
import { BearerAuthentication } from './bearer-authentication';
import { STEP_ADVICE, STEP_METADATA, SignInStep } from '../sign-in/sign-in-steps';

const PUBLIC = 'identity:public';
const ROLES = 'identity:roles';

/** Marks a route that anyone may call without signing in. */
export const Public = () => SetMetadata(PUBLIC, true);
/** Limits a route to some roles; object-level checks still happen in the services. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** The caller the guard authenticated. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  return ctx.switchToHttp().getRequest().caller;
});

/** The sign-in step the caller's token still has pending (null once fully signed in). */
export const CurrentStep = createParamDecorator((_: unknown, ctx: ExecutionContext): SignInStep | null => {
  return ctx.switchToHttp().getRequest().signInStep ?? null;
});

/** Applied to every route: no route is open unless it says @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly bearer: BearerAuthentication,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const { caller, step } = await this.bearer.fromHeader(request.headers.authorization);
    request.caller = caller;
    request.signInStep = step;
    if (step && !(this.reflector.getAllAndOverride<SignInStep[] | undefined>(STEP_METADATA, targets) ?? []).includes(step)) {
      throw new Forbidden('STEP_REQUIRED', STEP_ADVICE[step], { step });
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(caller.role)) {
      throw new Forbidden('ROLE_NOT_ALLOWED', `This needs one of these roles: ${roles.join(', ')}.`);
    }
    return true;
  }
}
