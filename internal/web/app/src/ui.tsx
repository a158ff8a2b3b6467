// Small shared pieces: routing, permissions, error display.
import { useEffect, useState, type ReactNode } from "react";
import { GqlError, type Role } from "./api";
import { useT } from "./i18n";

export function navigate(path: string) {
  history.pushState(null, "", path);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    addEventListener("popstate", on);
    return () => removeEventListener("popstate", on);
  }, []);
  return path;
}

export function Link({ to, children, testid, className }: { to: string; children: ReactNode; testid?: string; className?: string }) {
  return (
    <a href={to} data-testid={testid} className={className} onClick={(e) => { e.preventDefault(); navigate(to); }}>
      {children}
    </a>
  );
}

// What each role may do, as the server's policy table says
// (internal/casus/actor.go); the server enforces it, the client only does
// not offer what would be refused.
const may: Record<string, Role[]> = {
  dashboard: ["COORDINATOR", "DIRECTOR", "MAYOR", "ANALYST"],
  cases: ["COORDINATOR", "DIRECTOR", "MAYOR", "ANALYST"],
  caseView: ["COORDINATOR", "DIRECTOR", "MAYOR", "ANALYST", "ADVISER"],
  advice: ["ADVISER"],
  askAdvice: ["COORDINATOR", "DIRECTOR"],
  known: ["COORDINATOR", "DIRECTOR"],
  explorer: ["COORDINATOR", "ANALYST"],
  addSubject: ["COORDINATOR", "DIRECTOR"],
  signals: ["COORDINATOR", "DIRECTOR", "REPORTER"],
  submitSignal: ["COORDINATOR", "DIRECTOR", "REPORTER"],
  triage: ["COORDINATOR", "DIRECTOR"],
  work: ["PARTNER"],
  audit: ["AUDITOR"],
  requests: ["DPO"],
  process: ["COORDINATOR", "DIRECTOR"],
  measure: ["MAYOR"],
  assign: ["COORDINATOR"],
  region: ["COORDINATOR", "ANALYST", "MAYOR"],
  duplicates: ["COORDINATOR", "ANALYST"],
  merge: ["COORDINATOR"],
  analysis: ["COORDINATOR", "ANALYST"],
  training: ["COORDINATOR"],
  funding: ["COORDINATOR", "MAYOR"],
  inhabitants: ["COORDINATOR"],
  grant: ["COORDINATOR"],
  "network.edit": ["COORDINATOR", "DIRECTOR"],
  watch: ["COORDINATOR", "DIRECTOR", "ANALYST"],
  network: ["COORDINATOR", "DIRECTOR", "ANALYST"],
  advance: ["COORDINATOR", "DIRECTOR"],
  escalate: ["COORDINATOR", "DIRECTOR"],
  review: ["COORDINATOR", "DIRECTOR"],
  propose: ["COORDINATOR", "DIRECTOR"],
  report: ["COORDINATOR", "DIRECTOR", "MAYOR"],
};

// date shows a moment or a day as d-m-jjjj, as Dutch letters write it.
export function date(at: string): string {
  const d = new Date(at);
  return `${d.getDate()}-${d.getMonth() + 1}-${d.getFullYear()}`;
}

export function can(role: Role, what: keyof typeof may | string): boolean {
  return (may[what] ?? []).includes(role);
}

export function ErrorBanner({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  const code = error instanceof GqlError ? error.code : "INTERNAL";
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error" role="alert" data-testid="error-banner" data-code={code}>
      <strong>{t(`error.${code}`)}</strong>
      {/* The general message says it all, except for input the server refused: then which rule it broke. */}
      {code === "INVALID" && message && <div className="detail">{message}</div>}
    </div>
  );
}

// fieldError is the server's message for an input field, if it named one.
export function fieldError(error: unknown, field: string): string | undefined {
  if (error instanceof GqlError && error.code === "INVALID" && error.field && (error.field === field || error.field.endsWith("." + field))) {
    return error.message;
  }
  return undefined;
}

export function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label className={error ? "field invalid" : "field"}>
      <span>{label}</span>
      {children}
      {error && <em className="field-error" data-testid="field-error">{error}</em>}
    </label>
  );
}
