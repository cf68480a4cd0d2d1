/** Thrown when a page needs a signed-in person: the error filter sends them to sign in and back. */
export class SignInRequired extends Error {}
