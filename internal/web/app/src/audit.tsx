// The access log for the privacy officer: who read or changed what, when,
// through which case, with filters; and the verification of its hash chain.
import { useCallback, useEffect, useState } from "react";
import { gql } from "./api";
import { MutationForm, text, type Values } from "./form";
import { useT } from "./i18n";
import { ErrorBanner } from "./ui";

interface Entry {
  sequence: number; at: string; action: string; outcome: string; operation: string; objects: string[]; purpose: string[]; processingActivities: string[];
  actor: { id: string; name: string; role: string }; breakGlassReason: string | null;
}
interface Verification { intact: boolean; checked: number; brokenAt: number | null; reason: string | null }

export function AuditPage() {
  const t = useT();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [total, setTotal] = useState(0);
  const [more, setMore] = useState<string | null>(null);
  const [filter, setFilter] = useState<Record<string, unknown>>({});
  const [verification, setVerification] = useState<Verification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);
  const [activities, setActivities] = useState<{ code: string; name: string }[]>([]);
  useEffect(() => {
    gql<{ processingActivities: { code: string; name: string }[] }>(`{ processingActivities { code name } }`).then((d) => setActivities(d.processingActivities)).catch(setError);
  }, []);
  const load = useCallback(async (f: Record<string, unknown>, after?: string) => {
    const d = await gql<{ auditLog: { totalCount: number; edges: { node: Entry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
      `query($filter: AuditFilter, $after: String) { auditLog(first: 50, after: $after, filter: $filter) { totalCount
        edges { node { sequence at action outcome operation objects purpose processingActivities actor { id name role } breakGlassReason } } pageInfo { hasNextPage endCursor } } }`,
      { filter: f, after });
    setEntries((old) => [...(after ? old : []), ...d.auditLog.edges.map((e) => e.node)]);
    setTotal(d.auditLog.totalCount);
    setMore(d.auditLog.pageInfo.hasNextPage ? d.auditLog.pageInfo.endCursor : null);
  }, []);
  useEffect(() => { load({}).catch(setError); }, [load]);
  const apply = async (x: Values) => {
    const f = {
      user: text(x.user), from: text(x.from) ? `${x.from}T00:00:00Z` : undefined, to: text(x.to) ? `${x.to}T23:59:59Z` : undefined,
      breakGlass: x.breakGlass ? true : undefined, processingActivity: text(x.activity),
    };
    setFilter(f);
    await load(f);
  };
  const verify = async () => {
    setVerifying(true);
    try {
      setVerification((await gql<{ verifyAccessLog: Verification }>(`{ verifyAccessLog { intact checked brokenAt reason } }`)).verifyAccessLog);
    } catch (e) {
      setError(e);
    } finally {
      setVerifying(false);
    }
  };
  return (
    <section className="audit">
      <h1>{t("audit.title")}</h1>
      <ErrorBanner error={error} />
      <div className="panel">
        <button onClick={() => void verify()} disabled={verifying} data-testid="verify">{verifying ? t("loading") : t("audit.verify")}</button>
        {verification && (
          <p role="status" data-testid="verification" className={verification.intact ? "ok" : "error"}>
            {verification.intact ? t("audit.intact") : `${t("audit.broken")} ${verification.brokenAt}: ${verification.reason}`} ({verification.checked} {t("audit.checked")})
          </p>
        )}
      </div>
      <MutationForm title={t("audit.filter")} testid="audit-filter" submitLabel={t("audit.apply")} fields={[
        { name: "user", label: t("audit.user") },
        { name: "from", label: t("audit.from"), kind: "date" },
        { name: "to", label: t("audit.to"), kind: "date" },
        { name: "activity", label: t("audit.activity"), kind: "select", options: activities.map((a) => ({ value: a.code, label: a.name })) },
        { name: "breakGlass", label: t("audit.breakGlass"), kind: "checkbox" },
      ]} submit={apply} />
      <p className="muted" data-testid="audit-total">{total} {t("audit.entries")}</p>
      <table className="list" data-testid="audit-table">
        <caption className="sr-only">{t("audit.title")}</caption>
        <thead><tr><th scope="col">#</th><th scope="col">{t("audit.at")}</th><th scope="col">{t("audit.user")}</th><th scope="col">{t("audit.action")}</th><th scope="col">{t("audit.operation")}</th><th scope="col">{t("audit.objects")}</th></tr></thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.sequence} data-testid="audit-entry">
              <td>{e.sequence}</td><td>{new Date(e.at).toLocaleString()}</td><td>{e.actor.name} ({e.actor.role})</td>
              <td>{e.action} · {e.outcome}{e.breakGlassReason ? ` · ${t("audit.breakGlass")}: ${e.breakGlassReason}` : ""}</td>
              <td>{e.operation}<br /><span className="muted">{e.processingActivities.join(", ")}</span></td><td>{e.objects.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && <button onClick={() => void load(filter, more).catch(setError)}>{t("cases.more")}</button>}
    </section>
  );
}
