import { SetMetadata } from '@nestjs/common';

/**
 * What a person must still do, after a correct password, before they may do anything else.
 * Bearer tokens carry the step as a claim and page sessions keep it in their row; while one is
 * pending, only the routes marked for that step answer.
 */
export type SignInStep = 'second-factor' | 'change-password' | 'set-up-two-factor';

export const SIGN_IN_STEPS: readonly SignInStep[] = ['second-factor', 'change-password', 'set-up-two-factor'];

export const isSignInStep = (value: unknown): value is SignInStep => SIGN_IN_STEPS.includes(value as SignInStep);

export const STEP_METADATA = 'identity:allowed-during';

/** Marks a route that answers while one of these steps is still pending (as well as after). */
export const AllowedDuring = (...steps: SignInStep[]) => SetMetadata(STEP_METADATA, steps);

/** What the API says a step needs, in words, when a route is called before it is done. */
export const STEP_ADVICE: Record<SignInStep, string> = {
  'second-factor': 'Sign-in is not finished: send the code from your authenticator app to POST /api/auth/login/two-factor.',
  'change-password': 'You signed in with a temporary password: choose a new one first with POST /api/auth/password.',
  'set-up-two-factor': 'Administrators must use two-factor sign-in: set it up first with POST /api/auth/two-factor/setup, then POST /api/auth/two-factor/confirm.',
};

/** The facts about an account that decide the step after a correct password, in order of precedence. */
export interface StepFacts {
  hasSecondFactor: boolean;
  mustChangePassword: boolean;
  role: string;
}

/**
 * The step after `after` (or the first step), or null when the person is fully signed in. A second
 * factor comes first (so a stolen temporary password alone cannot set a new password), then a
 * temporary password, then an administrator's missing second factor.
 */
export function nextSignInStep(facts: StepFacts, after?: SignInStep): SignInStep | null {
  const needed: Record<SignInStep, boolean> = {
    'second-factor': facts.hasSecondFactor,
    'change-password': facts.mustChangePassword,
    'set-up-two-factor': facts.role === 'administrator' && !facts.hasSecondFactor,
  };
  const from = after ? SIGN_IN_STEPS.indexOf(after) + 1 : 0;
  return SIGN_IN_STEPS.slice(from).find((step) => needed[step]) ?? null;
}
