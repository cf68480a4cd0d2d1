import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Forbidden, Unauthenticated } from '@cc/common';
import type { Role } from '@cc/workflows';
import type { Caller } from './caller';
import { AccountStanding } from './account-standing.service';
import { TokenService } from './token.service';

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

/** Applied to every route: no route is open unless it says @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly standing: AccountStanding,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw new Unauthenticated();
    const caller = this.tokens.verify(header.slice('Bearer '.length).trim());
    if (!(await this.standing.isActive(caller.userId))) {
      throw new Unauthenticated('This account has been deactivated; ask an administrator if you need it again.');
    }
    request.caller = caller;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(caller.role)) {
      throw new Forbidden('ROLE_NOT_ALLOWED', `This needs one of these roles: ${roles.join(', ')}.`);
    }
    return true;
  }
}
