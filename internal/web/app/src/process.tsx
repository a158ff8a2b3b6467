// The work inside a case's phases: the weighing, the case conferences, the
// plan of action, risk assessments and whether the person is informed. The
// director (and coordinator) records it here; everyone who may read the
// case sees it.
import { useCallback, useEffect, useRef, useState } from "react";
import { gql, type Role } from "./api";
import { lines, MutationForm, text, type Spec, type Values } from "./form";
import { useT, useValue } from "./i18n";
import { can, date, ErrorBanner } from "./ui";

interface Org { id: string; name: string; type: string }
interface Process {
  case: {
    id: string; phase: string; version: number; riskLevel: string; riskLevelOverridden: boolean; reassessmentOverdue: boolean;
    informing: { informed: boolean; on: string | null; by: string | null; ground: string | null; reconsiderOn: string | null; reconsiderOverdue: boolean } | null;
    weighings: { id: string; outcome: string; reasons: string; missingInformation: string | null; informationDue: string | null; weighedOn: string;
      members: { name: string; organisation: { name: string } }[]; criteria: { code: string; met: boolean; explanation: string }[] }[];
    conferences: { id: string; date: string; startsAt: string; endsAt: string; chair: string | null; held: boolean; minutes: string | null;
      invitations: { organisation: { id: string; name: string }; person: string | null; attended: boolean | null }[];
      agenda: { title: string; organisation: { name: string } | null }[];
      decisions: { text: string; organisations: { name: string }[] }[] }[];
    plan: { id: string; domain: string; description: string; stagnating: boolean;
      actions: { id: string; description: string; status: string; result: string | null; due: string | null; overdue: boolean; owner: string | null; organisation: { name: string } }[] }[];
    assessments: { id: string; instrument: string; assessor: string; accredited: boolean; on: string; outcome: string; scenarios: string | null; nextOn: string | null }[];
  };
  weighingCriteria: { code: string; label: string }[];
  organisations: Org[];
}

const processQuery = `query($id: ID!) { case(id: $id) { id phase version riskLevel riskLevelOverridden reassessmentOverdue
  informing { informed on by ground reconsiderOn reconsiderOverdue }
  weighings { id outcome reasons missingInformation informationDue weighedOn members { name organisation { name } } criteria { code met explanation } }
  conferences { id date startsAt endsAt chair held minutes invitations { organisation { id name } person attended } agenda { title organisation { name } } decisions { text organisations { name } } }
  plan { id domain description stagnating actions { id description status result due overdue owner organisation { name } } }
  assessments { id instrument assessor accredited on outcome scenarios nextOn } }
  weighingCriteria { code label } organisations { id name type } }`;

const phases = ["REGISTERED", "ASSESSMENT", "CASE_CONFERENCE", "ACTION_PLAN", "EXECUTION", "AFTERCARE", "CLOSED"];
const from = (phase: string, p: string) => phases.indexOf(phase) >= phases.indexOf(p);
const today = () => new Date().toISOString().slice(0, 10);

export function ProcessPanel({ caseId, version, role }: { caseId: string; version: number; role: Role }) {
  const t = useT();
  const v = useValue();
  const [d, setD] = useState<Process | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Only the newest answer counts: a slow answer to an earlier request
  // (before the case moved on) must not overwrite a later one.
  const latest = useRef(0);
  const load = useCallback(() => {
    const n = ++latest.current;
    return gql<Process>(processQuery, { id: caseId }).then((p) => { if (n === latest.current) setD(p); }).catch(setError);
  }, [caseId]);
  useEffect(() => { void load(); }, [load, version]);
  if (!d) return <ErrorBanner error={error} />;
  const c = d.case;
  const open = c.phase !== "CLOSED";
  const mayWork = can(role, "process") && open;
  const orgs = (type?: string) => d.organisations.filter((o) => !type || o.type === type).map((o) => ({ value: o.id, label: o.name }));
  const run = (mutation: string) => async (input: Record<string, unknown>) => { await gql(mutation, { input }); await load(); };

  const weighingFields: Spec[] = [
    { name: "gem", label: t("w.municipality"), kind: "select", options: orgs("MUNICIPALITY_OOV"), error: "members" },
    { name: "gemName", label: t("w.memberName"), error: "members" },
    { name: "pol", label: t("w.police"), kind: "select", options: orgs("POLICE"), error: "members" },
    { name: "polName", label: t("w.memberName"), error: "members" },
    { name: "om", label: t("w.prosecutor"), kind: "select", options: orgs("PUBLIC_PROSECUTOR"), error: "members" },
    { name: "omName", label: t("w.memberName"), error: "members" },
    ...d.weighingCriteria.flatMap((k): Spec[] => [
      { name: `met.${k.code}`, label: k.label, kind: "checkbox", error: "criteria" },
      { name: `expl.${k.code}`, label: t("w.explanation"), error: "criteria" },
    ]),
    { name: "outcome", label: t("w.outcome"), kind: "select", options: ["INCLUDE", "MORE_INFORMATION", "NO_ACTION", "REFER_TO_PROSECUTOR"].map((o) => ({ value: o, label: v(o) })) },
    { name: "reasons", label: t("w.reasons"), kind: "textarea" },
    { name: "missingInformation", label: t("w.missing"), kind: "textarea", show: (x) => x.outcome === "MORE_INFORMATION" },
    { name: "informationDue", label: t("w.due"), kind: "date", show: (x) => x.outcome === "MORE_INFORMATION" },
  ];
  const weigh = (x: Values) => run(`mutation($input: RecordWeighingInput!) { recordWeighing(input: $input) { case { id } } }`)({
    case: caseId, expectedVersion: c.version, outcome: x.outcome || null, reasons: x.reasons,
    members: [["gem", "gemName"], ["pol", "polName"], ["om", "omName"]].filter(([o]) => x[o]).map(([o, n]) => ({ organisation: x[o], name: x[n] })),
    criteria: d.weighingCriteria.map((k) => ({ code: k.code, met: x[`met.${k.code}`] as boolean, explanation: text(x[`expl.${k.code}`]) })),
    missingInformation: text(x.missingInformation), informationDue: text(x.informationDue),
  });

  return (
    <div className="process" data-testid="process">
      <ErrorBanner error={error} />
      <section aria-labelledby="h-weighing">
        <h2 id="h-weighing">{t("w.title")}</h2>
        {c.weighings.length === 0 && <p className="muted">{t("case.none")}</p>}
        {c.weighings.map((w) => (
          <article key={w.id} className="item" data-testid="weighing">
            <p><strong>{v(w.outcome)}</strong> · {w.weighedOn} · {w.members.map((m) => `${m.name} (${m.organisation.name})`).join(", ")}</p>
            <p>{w.reasons}</p>
            {w.missingInformation && <p>{t("w.missing")}: {w.missingInformation} ({w.informationDue})</p>}
            <ul>{w.criteria.map((k) => <li key={k.code}>{k.met ? "✓" : "–"} {d.weighingCriteria.find((x) => x.code === k.code)?.label ?? k.code}{k.explanation ? `: ${k.explanation}` : ""}</li>)}</ul>
          </article>
        ))}
        {mayWork && c.phase === "ASSESSMENT" && <MutationForm title={t("w.record")} testid="weighing-form" fields={weighingFields} submit={weigh} />}
      </section>

      <section aria-labelledby="h-conf">
        <h2 id="h-conf">{t("k.title")}</h2>
        {c.conferences.length === 0 && <p className="muted">{t("case.none")}</p>}
        {c.conferences.map((k) => (
          <article key={k.id} className="item" data-testid="conference">
            <p><strong>{date(k.date)} {k.startsAt}–{k.endsAt}</strong> · {t("k.chair")}: {k.chair} · {k.held ? t("k.held") : t("k.planned")}</p>
            <p>{t("k.invited")}: {k.invitations.map((i) => `${i.organisation.name}${i.person ? ` (${i.person})` : ""}${i.attended === null ? "" : i.attended ? " ✓" : " ✗"}`).join(", ")}</p>
            {k.agenda.length > 0 && <ul>{k.agenda.map((a, n) => <li key={n}>{a.title}{a.organisation ? ` — ${a.organisation.name}` : ""}</li>)}</ul>}
            {k.decisions.length > 0 && <><h4>{t("k.decisions")}</h4><ul>{k.decisions.map((x, n) => <li key={n}>{x.text}{x.organisations.length ? ` (${x.organisations.map((o) => o.name).join(", ")})` : ""}</li>)}</ul></>}
            {k.minutes && <p className="minutes">{k.minutes}</p>}
            {mayWork && !k.held && k.date > today() && <p className="muted">{t("k.recordFrom")} {date(k.date)}.</p>}
            {mayWork && !k.held && k.date <= today() && (
              <MutationForm title={t("k.record")} testid={`record-${k.id}`} fields={[
                { name: "attended", label: t("k.attended"), kind: "checks", options: k.invitations.map((i) => ({ value: i.organisation.id, label: i.organisation.name })) },
                { name: "decisions", label: t("k.decisionsHint"), kind: "textarea" },
                { name: "minutes", label: t("k.minutes"), kind: "textarea" },
              ]} submit={(x) => run(`mutation($input: RecordConferenceInput!) { recordConference(input: $input) { conference { id } } }`)({
                conference: k.id, attended: x.attended, minutes: x.minutes, decisions: lines(x.decisions).map((text) => ({ text })),
              })} />
            )}
            {mayWork && !k.held && (
              <details>
                <summary>{t("k.change")}</summary>
                <div className="columns">
                  <MutationForm title={t("k.move")} testid={`move-${k.id}`} submitLabel={t("k.moveSubmit")} fields={[
                    { name: "date", label: t("k.date"), kind: "date" },
                    { name: "startsAt", label: t("k.start"), kind: "time" },
                    { name: "endsAt", label: t("k.end"), kind: "time" },
                    { name: "reason", label: t("case.reason"), kind: "textarea" },
                  ]} submit={(x) => run(`mutation($input: MoveConferenceInput!) { moveConference(input: $input) { conference { id } } }`)({
                    conference: k.id, date: x.date || null, startsAt: x.startsAt, endsAt: x.endsAt, reason: x.reason,
                  })} />
                  <MutationForm title={t("k.cancel")} testid={`cancel-${k.id}`} submitLabel={t("k.cancelSubmit")} confirm={() => t("k.cancelConfirm")} fields={[
                    { name: "reason", label: t("case.reason"), kind: "textarea" },
                  ]} submit={(x) => run(`mutation($input: CancelConferenceInput!) { cancelConference(input: $input) { conference { id } } }`)({
                    conference: k.id, reason: x.reason,
                  })} />
                </div>
              </details>
            )}
          </article>
        ))}
        {mayWork && from(c.phase, "CASE_CONFERENCE") && (
          <MutationForm title={t("k.schedule")} testid="conference-form" fields={[
            { name: "date", label: t("k.date"), kind: "date" },
            { name: "startsAt", label: t("k.start"), kind: "time" },
            { name: "endsAt", label: t("k.end"), kind: "time" },
            { name: "chair", label: t("k.chair") },
            { name: "invitations", label: t("k.invite"), kind: "checks", options: orgs() },
            { name: "agenda", label: t("k.agendaHint"), kind: "textarea" },
          ]} submit={(x) => run(`mutation($input: ScheduleConferenceInput!) { scheduleConference(input: $input) { conference { id } } }`)({
            case: caseId, date: x.date || null, startsAt: x.startsAt, endsAt: x.endsAt, chair: x.chair,
            invitations: (x.invitations as string[]).map((organisation) => ({ organisation })), agenda: lines(x.agenda).map((title) => ({ title })),
          })} />
        )}
      </section>

      <section aria-labelledby="h-plan">
        <h2 id="h-plan">{t("p.title")}</h2>
        {c.plan.length === 0 && <p className="muted">{t("case.none")}</p>}
        {c.plan.map((g) => (
          <article key={g.id} className="item" data-testid="goal">
            <p><strong>{v(g.domain)}</strong>: {g.description} {g.stagnating && <span className="badge warn">{t("p.stagnating")}</span>}</p>
            <ul>
              {g.actions.map((a) => (
                <li key={a.id} data-testid="action">
                  {a.description} — {a.organisation.name}{a.owner ? ` (${a.owner})` : ""} · {v(a.status)}{a.due ? ` · ${t("p.due")} ${a.due}` : ""}
                  {a.overdue && <span className="badge warn"> {t("p.overdue")}</span>}{a.result ? `: ${a.result}` : ""}
                </li>
              ))}
            </ul>
            {mayWork && (
              <MutationForm title={t("p.addAction")} testid={`action-form-${g.id}`} fields={[
                { name: "description", label: t("p.action") },
                { name: "organisation", label: t("p.owner"), kind: "select", options: orgs() },
                { name: "owner", label: t("p.person") },
                { name: "due", label: t("p.due"), kind: "date" },
                { name: "condition", label: t("p.condition") },
              ]} submit={(x) => run(`mutation($input: AddActionInput!) { addAction(input: $input) { action { id } } }`)({
                goal: g.id, description: x.description, organisation: x.organisation, owner: text(x.owner), due: text(x.due), condition: text(x.condition),
              })} />
            )}
          </article>
        ))}
        {mayWork && from(c.phase, "CASE_CONFERENCE") && (
          <MutationForm title={t("p.addGoal")} testid="goal-form" fields={[
            { name: "domain", label: t("p.domain"), kind: "select", options: ["SAFETY", "IDEOLOGY", "FAMILY", "HOUSING", "WORK_SCHOOL", "FINANCES", "HEALTH", "SOCIAL_NETWORK", "JUSTICE", "OTHER"].map((o) => ({ value: o, label: v(o) })) },
            { name: "description", label: t("p.goal"), kind: "textarea" },
          ]} submit={(x) => run(`mutation($input: AddGoalInput!) { addGoal(input: $input) { goal { id } } }`)({ case: caseId, domain: x.domain || null, description: x.description })} />
        )}
      </section>

      <section aria-labelledby="h-risk">
        <h2 id="h-risk">{t("r.title")}</h2>
        <p>{t("r.level")}: <strong>{v(c.riskLevel)}</strong>{c.riskLevelOverridden ? ` (${t("r.overridden")})` : ""}
          {c.reassessmentOverdue && <span className="badge warn"> {t("r.overdue")}</span>}</p>
        <ul>{c.assessments.map((a) => <li key={a.id} data-testid="assessment">{a.on} · {v(a.instrument)} · {a.assessor}{a.accredited ? ` (${t("r.accredited")})` : ""} · <strong>{v(a.outcome)}</strong>{a.nextOn ? ` · ${t("r.next")} ${a.nextOn}` : ""}{a.scenarios ? ` — ${a.scenarios}` : ""}</li>)}</ul>
        {mayWork && (
          <MutationForm title={t("r.override")} testid="override-form" fields={[
            { name: "level", label: t("r.level"), kind: "select", options: [["FOLLOW", t("r.follow")], ["LOW", v("LOW")], ["MEDIUM", v("MEDIUM")], ["HIGH", v("HIGH")]].map(([value, label]) => ({ value, label })) },
            { name: "reason", label: t("case.reason"), kind: "textarea" },
          ]} submit={(x) => run(`mutation($input: OverrideRiskLevelInput!) { overrideRiskLevel(input: $input) { case { id } } }`)({
            case: caseId, level: x.level && x.level !== "FOLLOW" ? x.level : null, reason: x.reason, expectedVersion: c.version,
          })} />
        )}
        {mayWork && (
          <MutationForm title={t("r.record")} testid="assessment-form" fields={[
            { name: "instrument", label: t("r.instrument"), kind: "select", options: ["VERA_2R", "ERG22_PLUS", "IR46", "RRAP", "OTHER"].map((o) => ({ value: o, label: v(o) })) },
            { name: "assessor", label: t("r.assessor") },
            { name: "accredited", label: t("r.accredited"), kind: "checkbox" },
            { name: "on", label: t("r.on"), kind: "date" },
            { name: "outcome", label: t("r.outcome"), kind: "select", options: ["LOW", "MEDIUM", "HIGH"].map((o) => ({ value: o, label: v(o) })) },
            { name: "scenarios", label: t("r.scenarios"), kind: "textarea" },
            { name: "nextOn", label: t("r.next"), kind: "date" },
          ]} submit={(x) => run(`mutation($input: RecordAssessmentInput!) { recordAssessment(input: $input) { case { id } } }`)({
            case: caseId, instrument: x.instrument || null, assessor: x.assessor, accredited: x.accredited, on: x.on || null, outcome: x.outcome || null,
            scenarios: text(x.scenarios), nextOn: text(x.nextOn),
          })} />
        )}
      </section>

      <section aria-labelledby="h-inf">
        <h2 id="h-inf">{t("i.title")}</h2>
        {!c.informing && <p className="muted">{t("i.unknown")}</p>}
        {c.informing?.informed && <p data-testid="informing">{t("i.yes")} {c.informing.on} · {c.informing.by}</p>}
        {c.informing && !c.informing.informed && (
          <p data-testid="informing">{t("i.no")}: {c.informing.ground} · {t("i.reconsider")} {c.informing.reconsiderOn}
            {c.informing.reconsiderOverdue && <span className="badge warn"> {t("p.overdue")}</span>}</p>
        )}
        {mayWork && (
          <MutationForm title={t("i.record")} testid="informing-form" fields={[
            { name: "informed", label: t("i.informed"), kind: "checkbox" },
            { name: "on", label: t("i.on"), kind: "date", show: (x) => x.informed === true },
            { name: "by", label: t("i.by"), show: (x) => x.informed === true },
            { name: "ground", label: t("i.ground"), kind: "textarea", show: (x) => x.informed !== true },
            { name: "reconsiderOn", label: t("i.reconsider"), kind: "date", show: (x) => x.informed !== true },
          ]} submit={(x) => run(`mutation($input: RecordInformingInput!) { recordInforming(input: $input) { case { id } } }`)({
            case: caseId, informed: x.informed, on: x.informed ? text(x.on) : undefined, by: x.informed ? text(x.by) : undefined,
            ground: x.informed ? undefined : text(x.ground), reconsiderOn: x.informed ? undefined : text(x.reconsiderOn),
          })} />
        )}
      </section>
    </div>
  );
}
