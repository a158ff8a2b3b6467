// A partner organisation's work: the actions it owns, its conference
// invitations and the interventions given to it — nothing else of the
// cases, which it may not read.
import { useCallback, useEffect, useState } from "react";
import { gql } from "./api";
import { MutationForm, text } from "./form";
import { useT, useValue } from "./i18n";
import { date, ErrorBanner } from "./ui";

interface Action { id: string; description: string; status: string; result: string | null; due: string | null; overdue: boolean; subjectNames: string[] }
interface Conference { id: string; date: string; startsAt: string; endsAt: string; subjectNames: string[]; agenda: { title: string }[]; decisions: { text: string }[] }
interface Intervention { id: string; status: string; goal: string; subjectNames: string[]; offering: { name: string } }
interface Page<T> { edges: { cursor: string; node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }

const workQuery = `query($after: String) {
  actions(first: 20, after: $after) { edges { cursor node { id description status result due overdue subjectNames } } pageInfo { hasNextPage endCursor } }
  conferences(first: 50) { edges { cursor node { id date startsAt endsAt subjectNames agenda { title } decisions { text } } } pageInfo { hasNextPage endCursor } }
  interventions(first: 50) { edges { cursor node { id status goal subjectNames offering { name } } } pageInfo { hasNextPage endCursor } } }`;

export function WorkPage() {
  const t = useT();
  const v = useValue();
  const [actions, setActions] = useState<Action[]>([]);
  const [more, setMore] = useState<string | null>(null);
  const [conferences, setConferences] = useState<Conference[]>([]);
  const [interventions, setInterventions] = useState<Intervention[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async (after?: string) => {
    try {
      const d = await gql<{ actions: Page<Action>; conferences: Page<Conference>; interventions: Page<Intervention> }>(workQuery, { after });
      setActions((old) => [...(after ? old : []), ...d.actions.edges.map((e) => e.node)]);
      setMore(d.actions.pageInfo.hasNextPage ? d.actions.pageInfo.endCursor : null);
      setConferences(d.conferences.edges.map((e) => e.node));
      setInterventions(d.interventions.edges.map((e) => e.node));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => { void load(); }, [load]);
  const move = (mutation: string, input: Record<string, unknown>) => gql(mutation, { input }).then(() => load());

  return (
    <section className="work">
      <h1>{t("work.title")}</h1>
      <ErrorBanner error={error} />
      <h2>{t("work.actions")}</h2>
      {actions.length === 0 && <p className="muted">{t("case.none")}</p>}
      {actions.map((a) => (
        <article key={a.id} className="item" data-testid="my-action">
          <p><strong>{a.description}</strong> · {a.subjectNames.join(", ")} · {v(a.status)}{a.due ? ` · ${t("p.due")} ${date(a.due)}` : ""}
            {a.overdue && <span className="badge warn"> {t("p.overdue")}</span>}</p>
          {a.result && <p>{a.result}</p>}
          {a.status === "OPEN" && (
            <MutationForm title={t("work.report")} testid={`report-${a.id}`} fields={[
              { name: "status", label: t("work.status"), kind: "select", options: ["OPEN", "DONE", "CANCELLED"].map((s) => ({ value: s, label: v(s) })) },
              { name: "result", label: t("work.result"), kind: "textarea" },
            ]} submit={(x) => move(`mutation($input: ReportActionInput!) { reportAction(input: $input) { action { id } } }`, { action: a.id, status: x.status || null, result: text(x.result) })} />
          )}
        </article>
      ))}
      {more && <button onClick={() => void load(more)}>{t("cases.more")}</button>}

      <h2>{t("work.conferences")}</h2>
      {conferences.length === 0 && <p className="muted">{t("case.none")}</p>}
      {conferences.map((k) => (
        <article key={k.id} className="item" data-testid="my-conference">
          <p><strong>{date(k.date)} {k.startsAt}–{k.endsAt}</strong> · {k.subjectNames.join(", ")}</p>
          {k.agenda.length > 0 && <ul>{k.agenda.map((a, n) => <li key={n}>{a.title}</li>)}</ul>}
          {k.decisions.length > 0 && <><h3>{t("k.decisions")}</h3><ul>{k.decisions.map((d, n) => <li key={n}>{d.text}</li>)}</ul></>}
        </article>
      ))}

      <h2>{t("work.interventions")}</h2>
      {interventions.length === 0 && <p className="muted">{t("case.none")}</p>}
      {interventions.map((i) => (
        <article key={i.id} className="item" data-testid="my-intervention">
          <p><strong>{i.offering.name}</strong> · {i.subjectNames.join(", ")} · {v(i.status)}: {i.goal}</p>
          {i.status === "PROPOSED" && <button onClick={() => void move(`mutation($input: StartInterventionInput!) { startIntervention(input: $input) { intervention { id } } }`, { intervention: i.id }).catch(setError)}>{t("work.start")}</button>}
          {i.status === "ACTIVE" && (
            <MutationForm title={t("work.complete")} testid={`complete-${i.id}`} fields={[{ name: "outcome", label: t("work.result"), kind: "textarea" }]}
              submit={(x) => move(`mutation($input: CompleteInterventionInput!) { completeIntervention(input: $input) { intervention { id } } }`, { intervention: i.id, outcome: x.outcome })} />
          )}
        </article>
      ))}
    </section>
  );
}
