/** A failure to report as one line on stderr; the command exits with `exitCode` (2 for a command-line mistake). */
export class CliFailure extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** What any 401 answer says: the credentials are missing, expired or revoked. */
export const NOT_SIGNED_IN = "not signed in (or the token expired): run `hourglass login`";
