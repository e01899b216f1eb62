/**
 * The password rule for new passwords: at least 10 characters and not one of the ~49,000
 * most common passwords (the list shipped in `@zxcvbn-ts/language-common`, read locally).
 */
import { dictionary } from "@zxcvbn-ts/language-common";

export const MIN_PASSWORD_LENGTH = 10;

const KEY = Symbol.for("tidings.commonPasswords");
type Holder = { [KEY]?: ReadonlySet<string> };

function commonPasswords(): ReadonlySet<string> {
  const g = globalThis as Holder;
  g[KEY] ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return g[KEY];
}

/** Why this password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `Use at least ${MIN_PASSWORD_LENGTH} characters for your password.`;
  if (commonPasswords().has(password.toLowerCase()))
    return "This password is one of the most common ones and easy to guess. Choose another.";
  return null;
}
