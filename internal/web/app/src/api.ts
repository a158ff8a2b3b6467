// Talking to casusnet: sign-in, GraphQL over HTTP and websockets.
import { createClient, type Client } from "graphql-ws";
import * as oauth from "oauth4webapi";

export type Role = "COORDINATOR" | "DIRECTOR" | "MAYOR" | "ANALYST" | "PARTNER" | "REPORTER" | "AUDITOR" | "DPO" | "ADVISER";

export interface User {
  id: string;
  name: string;
  role: Role;
  municipalities: string[];
  organisation?: string;
}

export interface Session {
  token: string;
  expiresAt: string;
  user: User;
}

export interface SignInConfig {
  dev: boolean;
  users?: User[];
  oidc?: { issuer: string; clientId: string; scope: string };
}

const sessionKey = "casusnet.session";
const bookmarkKey = "casusnet.bookmark";

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(sessionKey);
  if (!raw) return null;
  const s = JSON.parse(raw) as Session;
  if (new Date(s.expiresAt).getTime() < Date.now()) {
    sessionStorage.removeItem(sessionKey);
    return null;
  }
  return s;
}

export function signOut() {
  sessionStorage.removeItem(sessionKey);
  sessionStorage.removeItem(bookmarkKey);
  closeSocket();
}

export async function signInConfig(): Promise<SignInConfig> {
  const r = await fetch("/auth/config");
  if (!r.ok) throw new Error(`sign-in settings: ${r.status}`);
  return r.json();
}

export async function signInAsDemoUser(user: User): Promise<Session> {
  const r = await fetch("/auth/dev/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: user.id }),
  });
  const body = await r.json();
  if (!r.ok) throw new GqlError(body.errors?.[0]?.message ?? `sign-in: ${r.status}`, body.errors?.[0]?.extensions?.code ?? "INTERNAL");
  const s: Session = { token: body.token, expiresAt: body.expiresAt, user };
  sessionStorage.setItem(sessionKey, JSON.stringify(s));
  return s;
}

// OIDC: authorization code with PKCE. The verifier and state wait in
// sessionStorage across the redirect.
export async function startOIDC(cfg: NonNullable<SignInConfig["oidc"]>) {
  const as = await discover(cfg.issuer);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem("casusnet.pkce", JSON.stringify({ verifier, state }));
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set("client_id", cfg.clientId);
  url.searchParams.set("redirect_uri", location.origin + "/callback");
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", cfg.scope);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("state", state);
  location.assign(url.toString());
}

export async function finishOIDC(cfg: NonNullable<SignInConfig["oidc"]>): Promise<Session> {
  const as = await discover(cfg.issuer);
  const client: oauth.Client = { client_id: cfg.clientId };
  const { verifier, state } = JSON.parse(sessionStorage.getItem("casusnet.pkce") ?? "{}");
  sessionStorage.removeItem("casusnet.pkce");
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, location.origin + "/callback", verifier);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  const claims = oauth.getValidatedIdTokenClaims(result)!;
  const token = result.id_token ?? result.access_token;
  const s: Session = {
    token,
    expiresAt: new Date(Date.now() + (result.expires_in ?? 3600) * 1000).toISOString(),
    user: {
      id: String(claims.sub),
      name: String((claims as Record<string, unknown>).name ?? claims.sub),
      role: String((claims as Record<string, unknown>).role ?? "REPORTER") as Role,
      municipalities: ((claims as Record<string, unknown>).municipalities as string[]) ?? [],
    },
  };
  sessionStorage.setItem(sessionKey, JSON.stringify(s));
  return s;
}

async function discover(issuer: string) {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url));
}

// An error casusnet answered, with its stable code and, for INVALID, the
// input field it is about.
export class GqlError extends Error {
  constructor(message: string, public code: string, public field?: string) {
    super(message);
  }
}

export async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const s = currentSession();
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (s) headers.Authorization = `Bearer ${s.token}`;
  const bookmark = sessionStorage.getItem(bookmarkKey);
  if (bookmark) headers["Casusnet-Bookmark"] = bookmark;
  const r = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const next = r.headers.get("Casusnet-Bookmark");
  if (next) sessionStorage.setItem(bookmarkKey, next);
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };
  try {
    body = await r.json();
  } catch {
    throw new GqlError(`HTTP ${r.status}`, r.status === 503 ? "UNAVAILABLE" : "INTERNAL");
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    if (e.extensions?.code === "UNAUTHENTICATED") signOut();
    throw new GqlError(e.message, e.extensions?.code ?? "INTERNAL", e.extensions?.field);
  }
  return body.data as T;
}

// Downloads a file casusnet serves to bearers of a token (exports, reports).
export async function download(url: string, fallbackName: string) {
  const s = currentSession();
  const r = await fetch(url, { headers: s ? { Authorization: `Bearer ${s.token}` } : {} });
  if (!r.ok) {
    const body = await r.json().catch(() => ({}));
    throw new GqlError(body.errors?.[0]?.message ?? `HTTP ${r.status}`, body.errors?.[0]?.extensions?.code ?? "INTERNAL");
  }
  const name = /filename="([^"]+)"/.exec(r.headers.get("Content-Disposition") ?? "")?.[1] ?? fallbackName;
  saveBlob(await r.blob(), name);
}

export function saveBlob(blob: Blob, name: string) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

let socket: Client | null = null;

function closeSocket() {
  socket?.dispose();
  socket = null;
}

// The websocket client, shared by all live views. It reconnects when the
// server restarts (close code 1012) or the network drops.
export function socketClient(): Client {
  if (socket) return socket;
  socket = createClient({
    url: (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/graphql",
    connectionParams: () => ({ Authorization: `Bearer ${currentSession()?.token ?? ""}` }),
    retryAttempts: Infinity,
    shouldRetry: () => currentSession() !== null,
    lazy: true,
  });
  return socket;
}

// subscribe follows a subscription; onError gets refusals. It returns the
// function that ends it.
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onError: (e: GqlError) => void,
): () => void {
  return socketClient().subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        if (r.errors?.length) {
          const e = r.errors[0] as { message: string; extensions?: { code?: string } };
          onError(new GqlError(e.message, e.extensions?.code ?? "INTERNAL"));
          return;
        }
        if (r.data) onData(r.data as T);
      },
      error: (e) => {
        const list = Array.isArray(e) ? e : [];
        const first = list[0] as { message?: string; extensions?: { code?: string } } | undefined;
        onError(new GqlError(first?.message ?? String((e as Error)?.message ?? e), first?.extensions?.code ?? "UNAVAILABLE"));
      },
      complete: () => {},
    },
  );
}
