// Who is signed in. Set by the log-in screen or by GET /api/v1/session at start-up.
import { ApiError, del, get, post, setCsrfToken, type Session } from "./api";

let current: Session | null = null;

export function session(): Session {
  if (!current) throw new Error("not signed in");
  return current;
}

export function signedIn(): boolean {
  return current !== null;
}

export async function resume(): Promise<boolean> {
  try {
    adopt(await get<Session>("/session"));
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return false;
    throw e;
  }
}

export async function logIn(username: string, password: string): Promise<void> {
  adopt(await post<Session>("/session", { username, password }));
}

export async function logOut(): Promise<void> {
  try {
    await del<void>("/session", undefined);
  } finally {
    forget();
  }
}

export function forget(): void {
  current = null;
  setCsrfToken("");
}

function adopt(s: Session): void {
  current = s;
  setCsrfToken(s.csrf_token);
}
