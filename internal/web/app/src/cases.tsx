// The case list and the case view, with its timeline live over caseEvents.
import { useCallback, useEffect, useRef, useState } from "react";
import { download, gql, GqlError, subscribe, type Session } from "./api";
import { MutationForm } from "./form";
import { useT, useValue } from "./i18n";
import { CaseManagement } from "./manage";
import { SubjectsPanel } from "./persons";
import { EscalationPanel } from "./escalation";
import { AddCaseSubject } from "./link";
import { ProcessPanel } from "./process";
import { can, date, ErrorBanner, Field, fieldError, Link, navigate } from "./ui";

interface CaseRow {
  subjects: { fullName: string; redacted: boolean }[];
  id: string;
  reference: string;
  phase: string;
  riskGroups: string[];
  escalationLevel: string;
  openedAt: string;
  municipality: { code: string; name: string };
  director: { name: string } | null;
}

const phases = ["REGISTERED", "ASSESSMENT", "CASE_CONFERENCE", "ACTION_PLAN", "EXECUTION", "AFTERCARE", "CLOSED"];
const risks = ["RADICALISING", "FAMILY_OF_TRAVELLER", "TRAVELLER", "TERRORIST_OR_RETURNEE", "RECRUITER"];
const levels = ["LOCAL", "REGIONAL", "AVZ", "NATIONAL"];

export function CasesPage({ session }: { session: Session }) {
  const t = useT();
  const v = useValue();
  // The filters live in the address: a link, a dashboard tile and Back
  // all land on the same list.
  const fromURL = () => {
    const q = new URLSearchParams(location.search);
    return { municipality: q.get("municipality") ?? "", phase: q.get("phase") ?? "", riskGroup: q.get("riskGroup") ?? "",
      escalationLevel: q.get("escalationLevel") ?? "", search: q.get("search") ?? "", overdueReview: q.get("overdueReview") ?? "",
      director: q.get("director") ?? "", orderBy: q.get("orderBy") ?? "" };
  };
  const [filter, setFilterState] = useState(fromURL);
  const setFilter = (f: typeof filter) => {
    const q = new URLSearchParams(Object.entries(f).filter(([, val]) => val));
    history.replaceState(null, "", q.size ? `/cases?${q}` : "/cases");
    setFilterState(f);
  };
  useEffect(() => {
    const back = () => setFilterState(fromURL());
    addEventListener("popstate", back);
    return () => removeEventListener("popstate", back);
  }, []);
  const [rows, setRows] = useState<CaseRow[]>([]);
  const [page, setPage] = useState<{ total: number; end: string | null; more: boolean }>({ total: 0, end: null, more: false });
  const [municipalities, setMunicipalities] = useState<{ code: string; name: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    gql<{ municipalities: { code: string; name: string }[] }>(`{ municipalities { code name } }`).then((d) => setMunicipalities(d.municipalities)).catch(setError);
  }, []);

  const latest = useRef(0);
  const load = useCallback(async (after: string | null) => {
    const mine = ++latest.current; // an older answer must not overwrite a newer one
    setLoading(true);
    setError(null);
    const f: Record<string, string | boolean> = {};
    for (const [k, val] of Object.entries(filter)) if (val && k !== "orderBy") f[k] = k === "overdueReview" ? true : val;
    try {
      const d = await gql<{ cases: { totalCount: number; pageInfo: { endCursor: string | null; hasNextPage: boolean }; edges: { node: CaseRow }[] } }>(
        `query($filter: CaseFilter, $after: String, $order: CaseOrder) { cases(first: 25, after: $after, filter: $filter, orderBy: $order) { totalCount pageInfo { endCursor hasNextPage }
          edges { node { id reference phase riskGroups escalationLevel openedAt municipality { code name } director { name } subjects { fullName redacted } } } } }`,
        { filter: f, after, order: filter.orderBy || undefined },
      );
      if (mine !== latest.current) return;
      setRows((old) => (after ? [...old, ...d.cases.edges.map((e) => e.node)] : d.cases.edges.map((e) => e.node)));
      setPage({ total: d.cases.totalCount, end: d.cases.pageInfo.endCursor, more: d.cases.pageInfo.hasNextPage });
    } catch (e) {
      if (mine === latest.current) setError(e);
    } finally {
      if (mine === latest.current) setLoading(false);
    }
  }, [filter]);

  useEffect(() => { void load(null); }, [load]);

  const select = (key: keyof typeof filter, options: string[], label: string, names?: Record<string, string>) => (
    <Field label={label}>
      <select value={filter[key]} onChange={(e) => setFilter({ ...filter, [key]: e.target.value })} data-testid={`filter-${key}`}>
        <option value="">{t("cases.any")}</option>
        {options.map((o) => <option key={o} value={o}>{names?.[o] ?? v(o)}</option>)}
      </select>
    </Field>
  );
  return (
    <section>
      <header className="page-head"><h1>{t("cases.title")}</h1><span className="muted">{page.total}</span></header>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        {select("municipality", municipalities.map((m) => m.code), t("col.municipality"), Object.fromEntries(municipalities.map((m) => [m.code, m.name])))}
        {select("phase", phases, t("col.phase"))}
        {select("riskGroup", risks, t("col.risk"))}
        {select("escalationLevel", levels, t("col.escalation"))}
        <Field label={t("cases.search")}>
          <input type="search" value={filter.search} onChange={(e) => setFilter({ ...filter, search: e.target.value })} data-testid="filter-search" />
        </Field>
        <Field label={t("cases.order")}>
          <select value={filter.orderBy} onChange={(e) => setFilter({ ...filter, orderBy: e.target.value })}>
            {["", "OPENED_AT_ASC", "UPDATED_AT_DESC", "REFERENCE_ASC"].map((o) => <option key={o} value={o}>{t(`cases.order.${o || "OPENED_AT_DESC"}`)}</option>)}
          </select>
        </Field>
        {session.user.role === "DIRECTOR" && (
          <label className="check">
            <input type="checkbox" checked={filter.director !== ""}
              onChange={(e) => setFilter({ ...filter, director: e.target.checked ? btoa(`Director:${session.user.id}`).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_") : "" })} /> {t("cases.mine")}
          </label>
        )}
      </form>
      <ErrorBanner error={error} />
      <table className="list" data-loading={loading ? "true" : "false"}>
        <thead>
          <tr><th>{t("col.reference")}</th><th>{t("case.subjects")}</th><th>{t("col.municipality")}</th><th>{t("col.phase")}</th><th>{t("col.risk")}</th><th>{t("col.escalation")}</th><th>{t("col.director")}</th><th>{t("col.opened")}</th></tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id} data-testid={`case-row-${c.reference}`} onClick={() => navigate(`/cases/${c.id}`)}>
              <td><Link to={`/cases/${c.id}`}>{c.reference}</Link></td>
              <td>{c.subjects.map((x) => (x.redacted ? t("net.redacted") : x.fullName)).join(", ")}</td>
              <td>{c.municipality.name}</td>
              <td><span className={`phase-tag ${c.phase}`}>{v(c.phase)}</span></td>
              <td>{c.riskGroups.map(v).join(", ")}</td>
              <td>{v(c.escalationLevel)}</td>
              <td>{c.director?.name ?? "—"}</td>
              <td>{date(c.openedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && rows.length === 0 && !error && <p className="muted">{t("cases.none")}</p>}
      {page.more && <button onClick={() => load(page.end)} disabled={loading}>{t("cases.more")}</button>}
    </section>
  );
}

interface CaseDetail {
  id: string;
  reference: string;
  phase: string;
  nextPhases: string[];
  escalationLevel: string;
  riskGroups: string[];
  summary: string;
  nextReview: string | null;
  version: number;
  municipality: { code: string; name: string };
  director: { id: string; name: string } | null;
  subjects: { id: string; fullName: string; redacted: boolean }[];
  interventions: { id: string; status: string; goal: string; offering: { name: string; provider: { name: string } } }[];
  measures: { id: string; type: string; decision: string; reason: string }[];
  informing: { informed: boolean } | null;
  needs: string | null;
  conferences: { held: boolean }[];
  timeline: { edges: { node: TimelineEvent }[] };
}

interface TimelineEvent {
  id: string;
  sequence: number;
  type: string;
  at: string;
  reason: string | null;
  actor: { name: string };
}

const caseQuery = `query($id: ID!) { case(id: $id) { id reference phase nextPhases needs escalationLevel riskGroups summary nextReview version informing { informed } conferences { held }
  municipality { code name } director { id name } subjects { id fullName redacted }
  interventions { id status goal offering { name provider { name } } }
  measures { id type decision reason }
  timeline(last: 100) { edges { node { id sequence type at reason actor { name } } } } } }`;

export function CaseView({ id, session }: { id: string; session: Session }) {
  const t = useT();
  const v = useValue();
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string>("");
  const [reason, setReason] = useState("");
  const [moving, setMoving] = useState("");
  const [busy, setBusy] = useState(false);
  const role = session.user.role;

  // Only the newest answer counts: loads overlap (a change, the events it
  // streams), and a slow earlier answer must not overwrite a later one.
  const latest = useRef(0);
  const load = useCallback(async () => {
    const n = ++latest.current;
    try {
      const d = await gql<{ case: CaseDetail }>(caseQuery, { id });
      if (n !== latest.current) return;
      setCase(d.case);
      setEvents(d.case.timeline.edges.map((e) => e.node));
      setError(null);
    } catch (e) {
      if (n !== latest.current) return;
      setError(e);
      setCase(null);
    }
  }, [id]);

  useEffect(() => { void load(); }, [load]);

  // The timeline follows the case's events live; each event also reloads
  // the case, whose phase and next moves may have changed.
  useEffect(() => {
    if (!c) return;
    return subscribe<{ caseEvents: TimelineEvent }>(
      `subscription($case: ID!) { caseEvents(filter: {case: $case}) { id sequence type at reason actor { name } } }`,
      { case: id },
      (d) => {
        setEvents((old) => (old.some((e) => e.id === d.caseEvents.id) ? old : [...old, d.caseEvents]));
        void load();
      },
      setError,
    );
    // Only resubscribe when the case changes, not on every reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, c === null]);

  const act = async (mutation: string, input: Record<string, unknown>) => {
    setActionError(null);
    setNotice("");
    try {
      await gql(mutation, { input: { case: id, expectedVersion: c?.version, ...input } });
      setReason("");
      await load();
    } catch (e) {
      setActionError(e);
      if (e instanceof GqlError && e.code === "CONFLICT") {
        setNotice(t("case.conflict"));
        await load();
      }
    }
  };

  if (error && !c) return <section><ErrorBanner error={error} /></section>;
  if (!c) return <p className="muted">{t("loading")}</p>;
  return (
    <section className="case">
      <header className="page-head">
        <h1>{c.reference}</h1>
        <span className={`phase-tag ${c.phase}`} data-testid="case-phase" data-phase={c.phase}>{v(c.phase)}</span>
        <span className="muted">{c.municipality.name} · {v(c.escalationLevel)} · {c.riskGroups.map(v).join(", ")}</span>
      </header>
      <ol className="stepper" aria-label={t("case.course")}>
        {phases.map((p) => {
          const at = phases.indexOf(c.phase), i = phases.indexOf(p);
          return <li key={p} className={i < at ? "done" : i === at ? "current" : ""} aria-current={i === at ? "step" : undefined}>{v(p)}</li>;
        })}
      </ol>
      <ErrorBanner error={error} />
      <p>{c.summary}</p>
      <div className="columns">
        <div>
          <h2>{t("case.subjects")}</h2>
          <ul>{c.subjects.map((s) => <li key={s.id}>{s.redacted ? <em>{t("net.redacted")}</em> : <Link to={`/network?from=${s.id}`}>{s.fullName}</Link>}</li>)}</ul>
          {can(role, "addSubject") && c.phase !== "CLOSED" && <AddCaseSubject caseId={c.id} version={c.version} onDone={() => void load()} />}
          <h2>{t("case.director")}</h2>
          <p>{c.director?.name ?? t("case.none")}</p>
          <h2>{t("case.nextReview")}</h2>
          <p>{c.nextReview ? date(c.nextReview) : t("case.none")}</p>
          <h2>{t("case.interventions")}</h2>
          <ul>{c.interventions.map((i) => <li key={i.id}>{i.offering.name} ({i.offering.provider.name}) — {v(i.status)}: {i.goal}</li>)}</ul>
          {c.interventions.length === 0 && <p className="muted">{t("case.none")}</p>}
          <h2>{t("case.measures")}</h2>
          <ul>{c.measures.map((m) => <li key={m.id}>{v(m.type)}: {v(m.decision)} — {m.reason}</li>)}</ul>
          {c.measures.length === 0 && <p className="muted">{t("case.none")}</p>}
          {c.phase === "CLOSED" && can(role, "report") && (
            <button onClick={() => download(`/report/${encodeURIComponent(c.id)}?format=pdf`, `${c.reference}.pdf`).catch(setActionError)}>{t("case.report")}</button>
          )}
          {c.phase === "CLOSED" && can(role, "report") && (
            <button onClick={() => download(`/report/${encodeURIComponent(c.id)}?format=html`, `${c.reference}.html`).catch(setActionError)}>{t("case.reportHtml")}</button>
          )}
        </div>
        <div>
          {can(role, "advance") && c.phase !== "CLOSED" && (
            <div className="panel">
              <h2>{t("case.moves")}</h2>
              {notice && <p className="notice">{notice}</p>}
              <ErrorBanner error={actionError} />
              <Field label={t("case.reason")} error={fieldError(actionError, "reason")}>
                <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="move-reason" />
              </Field>
              {c.needs && <p className="needs" id="case-needs" data-testid="case-needs">{c.needs}</p>}
              <div className="buttons">
                {c.nextPhases.filter((p) => p !== "CLOSED").map((p) => (
                  <button key={p} data-testid={`move-ADVANCE-${p}`} className="move" aria-expanded={moving === p} onClick={() => setMoving(p)}
                    disabled={!!c.needs} aria-describedby={c.needs ? "case-needs" : undefined}>
                    {t("case.advance")} {v(p)}
                  </button>
                ))}
              </div>
              {moving && (
                <div className="confirm" role="group" aria-label={t("form.sure")}>
                  <p>{t("confirm.advance")} {v(moving)}.</p>
                  <button data-testid={`confirm-ADVANCE-${moving}`} disabled={busy} onClick={async () => {
                    setBusy(true);
                    try {
                      await act(`mutation($input: AdvanceCaseInput!) { advanceCase(input: $input) { case { id } } }`, { to: moving, reason: reason || "—" });
                    } finally {
                      setBusy(false);
                      setMoving("");
                    }
                  }}>{t("confirm.advanceSubmit")} {v(moving)}</button>
                  <button onClick={() => setMoving("")}>{t("form.cancel")}</button>
                </div>
              )}
            </div>
          )}
          <EscalationPanel caseId={c.id} level={c.escalationLevel} version={c.version} closed={c.phase === "CLOSED"} role={role} onChange={() => void load()} />
          {can(role, "review") && c.phase !== "CLOSED" && <ReviewForm onSubmit={(on) => act(`mutation($input: ScheduleReviewInput!) { scheduleReview(input: $input) { case { id } } }`, { on })} error={actionError} />}
          {can(role, "propose") && c.phase !== "CLOSED" && <ProposeForm caseId={c.id} onDone={load} />}
          {can(role, "measure") && c.phase !== "CLOSED" && (
            <MutationForm title={t("m.decide")} testid="measure-form" confirm={() => t("confirm.measure")} fields={[
              { name: "type", label: t("m.type"), kind: "select", options: ["AREA_BAN", "REPORTING_DUTY", "CONTACT_BAN", "PASSPORT_WITHDRAWAL", "OTHER"].map((o) => ({ value: o, label: v(o) })) },
              { name: "decision", label: t("m.decision"), kind: "select", options: ["IMPOSED", "REJECTED", "LIFTED"].map((o) => ({ value: o, label: v(o) })) },
              { name: "reason", label: t("case.reason"), kind: "textarea" },
            ]} submit={async (x) => {
              await gql(`mutation($input: DecideMeasureInput!) { decideMeasure(input: $input) { measure { id } } }`,
                { input: { case: c.id, type: x.type || null, decision: x.decision || null, reason: x.reason, idempotencyKey: crypto.randomUUID() } });
              await load();
            }} />
          )}
          <CaseManagement c={c} role={role} reload={load} />
          <SubjectsPanel subjectIds={c.subjects.filter((x) => !x.redacted).map((x) => x.id)} role={role} onChange={() => void load()} />
          <ProcessPanel caseId={c.id} version={c.version} role={role} />
          <h2>{t("case.timeline")}</h2>
          <ol className="timeline" data-testid="timeline">
            {[...events].reverse().map((e) => (
              <li key={e.id} data-testid="timeline-entry">
                <time>{new Date(e.at).toLocaleString()}</time> <strong>{v(e.type)}</strong> — {e.actor.name}{e.reason ? `: ${e.reason}` : ""}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}

function ReviewForm({ onSubmit, error }: { onSubmit: (on: string) => void; error: unknown }) {
  const t = useT();
  const [on, setOn] = useState("");
  return (
    <form className="panel" onSubmit={(e) => { e.preventDefault(); onSubmit(on); }}>
      <h2>{t("case.review")}</h2>
      <Field label={t("case.reviewOn")} error={fieldError(error, "on")}>
        <input type="date" value={on} onChange={(e) => setOn(e.target.value)} data-testid="review-on" />
      </Field>
      <button type="submit">{t("case.save")}</button>
    </form>
  );
}

function ProposeForm({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const t = useT();
  const [offerings, setOfferings] = useState<{ id: string; name: string; provider: { name: string } }[]>([]);
  const [offering, setOffering] = useState("");
  const [goal, setGoal] = useState("");
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    gql<{ offerings: { id: string; name: string; provider: { name: string } }[] }>(`{ offerings { id name provider { name } } }`).then((d) => setOfferings(d.offerings)).catch(setError);
  }, []);
  const submit = async () => {
    setError(null);
    try {
      await gql(`mutation($input: ProposeInterventionInput!) { proposeIntervention(input: $input) { intervention { id } } }`,
        { input: { case: caseId, offering, goal, idempotencyKey: crypto.randomUUID() } });
      setGoal("");
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="panel" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2>{t("case.propose")}</h2>
      <ErrorBanner error={error} />
      <Field label={t("case.offering")} error={fieldError(error, "offering")}>
        <select value={offering} onChange={(e) => setOffering(e.target.value)}>
          <option value="" />
          {offerings.map((o) => <option key={o.id} value={o.id}>{o.name} ({o.provider.name})</option>)}
        </select>
      </Field>
      <Field label={t("case.goal")} error={fieldError(error, "goal")}>
        <textarea value={goal} onChange={(e) => setGoal(e.target.value)} data-testid="propose-goal" />
      </Field>
      <button type="submit">{t("case.save")}</button>
    </form>
  );
}
