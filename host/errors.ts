// Errors a user can cause (a bad file, a bad option). They carry a one-line
// message; front ends print it without a stack trace.
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}
