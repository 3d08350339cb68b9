// The HTTP API client: one place that adds the CSRF token, turns error bodies into
// ApiError (code, message, field) and reports an ended session.
//
// The session itself is the HttpOnly `__Host-stream_session` cookie, which scripts never
// see; the CSRF token comes from POST/GET /api/v1/session and lives only in memory.

export interface ApiErrorBody {
  code: string;
  message: string;
  where?: string;
  request_id?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly where: string,
    readonly requestId: string,
  ) {
    super(message);
  }
}

// Who is signed in and what their role may do (generated from the API's contract).
export type { Session } from "./generated/api";

let csrfToken = "";
const sessionEndedListeners: Array<() => void> = [];

export function onSessionEnded(listener: () => void): void {
  sessionEndedListeners.push(listener);
}

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

const base = "/api/v1";

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "unavailable", "The STREAM server cannot be reached.", "", "");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: any;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;  // not JSON (a proxy's error page): reported by status below
  }
  if (response.ok && data === undefined && text) {
    throw new ApiError(response.status, "internal", "The server's answer was not JSON.", "", "");
  }
  if (!response.ok) {
    const e: ApiErrorBody = data?.error ?? { code: "internal", message: response.statusText };
    const error = new ApiError(
      response.status,
      e.code,
      e.message,
      e.where ?? "",
      e.request_id ?? response.headers.get("X-Request-Id") ?? "",
    );
    if (response.status === 401 && path !== "/session") {
      for (const listener of sessionEndedListeners) listener();
    }
    throw error;
  }
  return data as T;
}

export const get = <T>(path: string) => request<T>("GET", path);
export const post = <T>(path: string, body: unknown) => request<T>("POST", path, body);
export const patch = <T>(path: string, body: unknown) => request<T>("PATCH", path, body);
export const del = <T>(path: string, body: unknown) => request<T>("DELETE", path, body);

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}
