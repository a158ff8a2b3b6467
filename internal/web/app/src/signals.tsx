// Signals (meldingen): field staff submit them and follow their own; the
// coordinator and directors triage the new ones — dismiss with a reason, or
// open a case from them.
import { useCallback, useEffect, useState } from "react";
import { gql, type Role, type Session } from "./api";
import { MutationForm, text } from "./form";
import { useT, useValue } from "./i18n";
import { KnownElsewhere, ShareRequests } from "./known";
import { SignalSubjectLink, type Subject } from "./link";
import { can, date, ErrorBanner, navigate } from "./ui";

interface Signal {
  id: string; description: string; indicators: string[]; receivedAt: string; status: string; dismissReason: string | null;
  municipality: { code: string; name: string }; about?: { id: string; fullName: string }[]; case: { id: string; reference: string } | null;
  subject: Subject | null;
}

const indicators = ["ONLINE_PROPAGANDA", "BEHAVIOUR_CHANGE", "TRAVEL_PLANS", "ISOLATION", "VIOLENT_LANGUAGE", "CONTACT_WITH_EXTREMISTS", "SUPPORT_FOR_VIOLENCE", "OTHER"];

export function SignalsPage({ session }: { session: Session }) {
  const t = useT();
  const v = useValue();
  const role: Role = session.user.role;
  const [signals, setSignals] = useState<Signal[]>([]);
  const [more, setMore] = useState<string | null>(null);
  const [municipalities, setMunicipalities] = useState<{ code: string; name: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const triage = can(role, "triage");
  const [shared, setShared] = useState(0);
  // The inbox shows one status at a time (kept in the address, so that Back
  // and a link return to it) and one signal open for handling at a time.
  const [status, setStatusState] = useState(() => new URLSearchParams(location.search).get("status") ?? (triage ? "NEW" : ""));
  const setStatus = (st: string) => {
    history.pushState(null, "", st ? `?status=${st}` : location.pathname);
    setStatusState(st);
  };
  useEffect(() => {
    const back = () => setStatusState(new URLSearchParams(location.search).get("status") ?? (triage ? "NEW" : ""));
    addEventListener("popstate", back);
    return () => removeEventListener("popstate", back);
  }, [triage]);
  const [handling, setHandling] = useState("");
  const load = useCallback(async (after?: string) => {
    try {
      const d = await gql<{ signals: { edges: { node: Signal }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }; municipalities: { code: string; name: string }[] }>(
        `query($after: String, $filter: SignalFilter) { municipalities { code name }
          signals(first: 20, after: $after, filter: $filter) { edges { node { id description indicators receivedAt status dismissReason municipality { code name } ${triage ? "about { id fullName }" : ""} subject { firstName lastName birthDate details } case { id reference } } } pageInfo { hasNextPage endCursor } } }`,
        { after, filter: status ? { status } : null });
      setMunicipalities(d.municipalities);
      setSignals((old) => [...(after ? old : []), ...d.signals.edges.map((e) => e.node)]);
      setMore(d.signals.pageInfo.hasNextPage ? d.signals.pageInfo.endCursor : null);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [triage, status]);
  useEffect(() => { void load(); }, [load]);
  // The inbox follows new signals: it asks again every few seconds.
  useEffect(() => {
    if (!triage) return;
    const h = setInterval(() => void load(), 5000);
    return () => clearInterval(h);
  }, [triage, load]);
  // Persons found by name, to link to a signal's case as its subjects.
  const [search, setSearch] = useState("");
  const [found, setFound] = useState<{ id: string; fullName: string; municipality: { name: string } | null }[]>([]);
  const find = () => gql<{ persons: { edges: { node: (typeof found)[number] }[] } }>(
    `query($n: String!) { persons(first: 20, filter: {name: $n}) { edges { node { id fullName municipality { name } } } } }`, { n: search },
  ).then((d) => setFound(d.persons.edges.map((e) => e.node))).catch(setError);

  return (
    <section className="signals">
      <h1>{t("sig.title")}</h1>
      <ErrorBanner error={error} />
      {can(role, "submitSignal") && (
        <MutationForm title={t("sig.submit")} testid="signal-form" submitLabel={t("sig.send")} fields={[
          { name: "municipality", label: t("col.municipality"), kind: "select", options: municipalities.map((m) => ({ value: m.code, label: m.name })) },
          { name: "description", label: t("sig.description"), kind: "textarea" },
          { name: "indicators", label: t("sig.indicators"), kind: "checks", options: indicators.map((i) => ({ value: i, label: v(i) })) },
          { name: "subjectFirstName", label: t("sig.subjectFirstName"), error: "subject.firstName" },
          { name: "subjectLastName", label: t("sig.subjectLastName"), error: "subject.lastName" },
          { name: "subjectBirthDate", label: t("sig.subjectBirthDate"), kind: "date", error: "subject.birthDate" },
          { name: "subjectDetails", label: t("sig.subjectDetails"), kind: "textarea", error: "subject.details" },
        ]} submit={async (x) => {
          const named = [x.subjectFirstName, x.subjectLastName, x.subjectBirthDate, x.subjectDetails].some((f) => typeof f === "string" && f.trim() !== "");
          await gql(`mutation($input: SubmitSignalInput!) { submitSignal(input: $input) { signal { id } } }`, {
            input: { municipality: x.municipality, description: x.description, indicators: x.indicators, idempotencyKey: crypto.randomUUID(),
              subject: named ? { firstName: x.subjectFirstName || null, lastName: x.subjectLastName, birthDate: x.subjectBirthDate || null, details: x.subjectDetails || null } : null },
          });
          await load();
        }} />
      )}
      {triage && <ShareRequests role={role} version={shared} />}
      <h2>{triage ? t("sig.inbox") : t("sig.mine")}</h2>
      {triage && (
        <div className="tabs" role="group" aria-label={t("sig.byStatus")}>
          {["NEW", "IN_REVIEW", "CASE_OPENED", "DISMISSED", ""].map((st) => (
            <button key={st || "all"} aria-pressed={status === st} onClick={() => setStatus(st)}>{st ? v(st) : t("sig.all")}</button>
          ))}
        </div>
      )}
      {triage && (
        <form className="panel" aria-label={t("sig.findPerson")} onSubmit={(e) => { e.preventDefault(); void find(); }}>
          <label className="field"><span>{t("sig.findPerson")}</span><input value={search} onChange={(e) => setSearch(e.target.value)} data-testid="subject-search" /></label>
          <button type="submit" data-testid="subject-find">{t("cases.search")}</button>
          {found.length > 0 && <p className="muted">{found.length} {t("sig.found")}</p>}
        </form>
      )}
      {signals.length === 0 && <p className="muted">{t("case.none")}</p>}
      {signals.map((s) => (
        <article key={s.id} className="item" data-testid="signal">
          <p><strong>{v(s.status)}</strong> · {s.municipality.name} · {new Date(s.receivedAt).toLocaleDateString()}
            {s.case && <> · <a href={`/cases/${encodeURIComponent(s.case.id)}`} onClick={(e) => { e.preventDefault(); navigate(`/cases/${encodeURIComponent(s.case!.id)}`); }}>{s.case.reference}</a></>}</p>
          <p>{s.description}</p>
          {s.indicators.length > 0 && <p className="muted">{s.indicators.map(v).join(", ")}</p>}
          {s.subject && <p>{t("sig.subject")}: {`${s.subject.firstName} ${s.subject.lastName}`.trim()}{s.subject.birthDate ? `, ${t("link.born")} ${date(s.subject.birthDate)}` : ""}{s.subject.details ? ` — ${s.subject.details}` : ""}</p>}
          {s.about && s.about.length > 0 && <p>{t("case.subjects")}: {s.about.map((p) => p.fullName).join(", ")}</p>}
          {triage && (s.status === "NEW" || s.status === "IN_REVIEW") && handling === s.id && <SignalSubjectLink signal={s.id} municipality={s.municipality.code} subject={s.subject} onDone={() => void load()} />}
          {s.dismissReason && <p>{t("sig.dismissed")}: {s.dismissReason}</p>}
          {triage && (s.status === "NEW" || s.status === "IN_REVIEW") && (
            <button onClick={() => setHandling(handling === s.id ? "" : s.id)} aria-expanded={handling === s.id}
              aria-label={`${t("sig.handle")}: ${s.description.slice(0, 60)}`}>{t("sig.handle")}</button>
          )}
          {triage && (s.status === "NEW" || s.status === "IN_REVIEW") && handling === s.id && can(role, "known") && <KnownElsewhere purpose={s.id} onRequested={() => setShared((n) => n + 1)} />}
          {triage && (s.status === "NEW" || s.status === "IN_REVIEW") && handling === s.id && (
            <div className="columns">
              <MutationForm title={t("sig.dismiss")} testid={`dismiss-${s.id}`} confirm={() => t("confirm.dismiss")} fields={[{ name: "reason", label: t("case.reason"), kind: "textarea" }]}
                submit={async (x) => { await gql(`mutation($input: DismissSignalInput!) { dismissSignal(input: $input) { signal { id } } }`, { input: { signal: s.id, reason: x.reason } }); await load(); }} />
              <MutationForm title={t("sig.open")} testid={`open-${s.id}`} initial={{ subjects: (s.about ?? []).map((p) => p.id) }} fields={[
                { name: "subjects", label: t("case.subjects"), kind: "checks", options: [
                  ...(s.about ?? []).map((p) => ({ value: p.id, label: p.fullName })),
                  ...found.filter((f) => !(s.about ?? []).some((p) => p.id === f.id))
                    .map((p) => ({ value: p.id, label: p.municipality ? `${p.fullName} (${p.municipality.name})` : p.fullName })),
                ] },
                { name: "summary", label: t("sig.summary"), kind: "textarea" },
                { name: "riskGroups", label: t("col.risk"), kind: "checks", options: ["RADICALISING", "RECRUITER", "TRAVELLER", "TERRORIST_OR_RETURNEE", "FAMILY_OF_TRAVELLER"].map((g) => ({ value: g, label: v(g) })) },
                { name: "ideology", label: t("sig.ideology"), kind: "select", options: ["JIHADIST", "RIGHT_WING", "LEFT_WING", "ANIMAL_RIGHTS", "OTHER"].map((g) => ({ value: g, label: v(g) })) },
                { name: "riskLevel", label: t("r.level"), kind: "select", options: ["LOW", "MEDIUM", "HIGH"].map((g) => ({ value: g, label: v(g) })) },
              ]} submit={async (x) => {
                const d = await gql<{ openCase: { case: { id: string } } }>(`mutation($input: OpenCaseInput!) { openCase(input: $input) { case { id } } }`, {
                  input: { municipality: s.municipality.code, signals: [s.id], subjects: x.subjects, summary: x.summary,
                    riskGroups: x.riskGroups, ideology: x.ideology || null, riskLevel: x.riskLevel || null, reason: text(x.summary), idempotencyKey: crypto.randomUUID() },
                });
                navigate(`/cases/${encodeURIComponent(d.openCase.case.id)}`);
              }} />
            </div>
          )}
        </article>
      ))}
      {more && <button onClick={() => void load(more)}>{t("cases.more")}</button>}
    </section>
  );
}
