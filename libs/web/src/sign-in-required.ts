/** Thrown when a page needs a signed-in person: the error filter sends them to sign in and back. */
export class SignInRequired extends Error {}

/** Thrown when a sign-in step (a second factor, a new password) must be done first: the filter sends them to its page. */
export class StepRequired extends Error {
  constructor(readonly page: string) {
    super(`Sign-in step required: ${page}`);
  }
}
