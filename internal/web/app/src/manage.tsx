// Running a case beyond its phases: assigning its director from the ranked
// suggestions, granting time-limited access, recording its network, moving
// its interventions through their life, and closing it with the final
// report for the mayor (previewed before it is sent).
import { useEffect, useState } from "react";
import { gql, type Role } from "./api";
import { MutationForm, text } from "./form";
import { useT, useValue } from "./i18n";
import { can } from "./ui";

interface Props {
  c: { id: string; reference: string; phase: string; version: number; municipality: { code: string; name: string };
    subjects: { id: string; fullName: string; redacted: boolean }[]; interventions: { id: string; status: string; goal: string; offering: { name: string } }[];
    informing: { informed: boolean } | null; conferences: { held: boolean }[] };
  role: Role;
  reload: () => Promise<void>;
}

const relativeKinds = ["PARENT", "CHILD", "SIBLING", "PARTNER"];
const contactRoles = ["TEACHER", "YOUTH_WORKER", "IMAM", "SPORTS_COACH", "CASE_WORKER", "PROBATION_OFFICER", "KEY_FIGURE", "FRIEND", "ONLINE_CONTACT", "RECRUITER"];

export function CaseManagement({ c, role, reload }: Props) {
  const t = useT();
  const v = useValue();
  const [suggestions, setSuggestions] = useState<{ director: { id: string; name: string }; score: number; reasons: string[] }[]>([]);
  useEffect(() => {
    if (can(role, "assign")) {
      gql<{ suggestDirectors: typeof suggestions }>(`query($c: ID!) { suggestDirectors(case: $c) { director { id name } score reasons } }`, { c: c.id })
        .then((d) => setSuggestions(d.suggestDirectors)).catch(() => setSuggestions([]));
    }
  }, [c.id, role]);
  if (c.phase === "CLOSED") return null;
  const run = async (mutation: string, input: Record<string, unknown>) => { await gql(mutation, { input }); await reload(); };
  const subjects = c.subjects.filter((s) => !s.redacted).map((s) => ({ value: s.id, label: s.fullName }));

  return (
    <div className="manage">
      {can(role, "assign") && (
        <MutationForm title={t("mg.assign")} testid="assign-form" fields={[
          { name: "director", label: t("case.director"), kind: "select", options: suggestions.map((s) => ({ value: s.director.id, label: `${s.director.name} — ${s.reasons.join("; ")}` })) },
          { name: "reason", label: t("case.reason") },
        ]} submit={(x) => run(`mutation($input: AssignDirectorInput!) { assignDirector(input: $input) { case { id } } }`, { case: c.id, director: x.director, reason: text(x.reason), expectedVersion: c.version })} />
      )}
      {can(role, "grant") && (
        <MutationForm title={t("mg.grant")} testid="grant-form" fields={[
          { name: "user", label: t("mg.userId") },
          { name: "userName", label: t("mg.userName") },
          { name: "until", label: t("mg.until"), kind: "date" },
          { name: "reason", label: t("case.reason"), kind: "textarea" },
        ]} submit={(x) => run(`mutation($input: GrantCaseAccessInput!) { grantCaseAccess(input: $input) { grant { id } } }`, {
          case: c.id, user: x.user, userName: x.userName, until: text(x.until) ? `${x.until}T23:59:59Z` : null, reason: x.reason,
        })} />
      )}
      {can(role, "network.edit") && subjects.length > 0 && (
        <MutationForm title={t("mg.tie")} testid="tie-form" fields={[
          { name: "subject", label: t("mg.of"), kind: "select", options: subjects },
          { name: "firstName", label: t("mg.firstName") },
          { name: "lastName", label: t("mg.lastName"), error: "lastName" },
          { name: "tie", label: t("mg.tieKind"), kind: "select", options: [
            ...relativeKinds.map((k) => ({ value: `R:${k}`, label: `${v("RELATIVE")}: ${v(k)}` })),
            ...contactRoles.map((k) => ({ value: `C:${k}`, label: `${v("CONTACT")}: ${v(k)}` })),
          ] },
          { name: "source", label: t("mg.source"), show: (x) => String(x.tie).startsWith("C:") },
          { name: "confidence", label: t("mg.confidence"), kind: "select", show: (x) => String(x.tie).startsWith("C:"),
            options: [["1", t("mg.certain")], ["0.7", t("mg.likely")], ["0.4", t("mg.possible")]].map(([value, label]) => ({ value, label })) },
        ]} submit={async (x) => {
          const tie = String(x.tie);
          if (!x.subject || !tie) throw new Error(t("error.INVALID"));
          const made = await gql<{ createPerson: { person: { id: string } } }>(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } } }`,
            { input: { firstName: text(x.firstName), lastName: x.lastName, municipality: c.municipality.code, idempotencyKey: crypto.randomUUID() } });
          const other = made.createPerson.person.id;
          if (tie.startsWith("R:")) {
            await gql(`mutation($input: RelatePersonsInput!) { relatePersons(input: $input) { person { id } } }`, { input: { person: other, relative: x.subject, kind: tie.slice(2) } });
          } else {
            await gql(`mutation($input: AddNetworkContactInput!) { addNetworkContact(input: $input) { contact { id } } }`, {
              input: { from: x.subject, to: other, network: ["FRIEND", "ONLINE_CONTACT", "RECRUITER"].includes(tie.slice(2)) ? "INFORMAL" : "FORMAL",
                role: tie.slice(2), source: x.source, confidence: Number(x.confidence || "0"), idempotencyKey: crypto.randomUUID() },
            });
          }
          await reload();
        }} />
      )}
      {can(role, "process") && c.interventions.some((i) => i.status === "PROPOSED" || i.status === "ACTIVE") && (
        <section aria-labelledby="h-ivs">
          <h2 id="h-ivs">{t("mg.interventions")}</h2>
          {c.interventions.filter((i) => i.status === "PROPOSED" || i.status === "ACTIVE").map((i) => (
            <MutationForm key={i.id} title={`${i.offering.name} · ${v(i.status)}`} testid={`iv-${i.id}`} fields={[
              { name: "move", label: t("mg.move"), kind: "select", options: (i.status === "PROPOSED" ? ["START", "STOP"] : ["COMPLETE", "STOP"]).map((m) => ({ value: m, label: t(`mg.${m}`) })) },
              { name: "text", label: t("mg.outcomeOrReason"), kind: "textarea", show: (x) => x.move !== "START" },
            ]} submit={(x) => {
              const id = { intervention: i.id };
              switch (x.move) {
                case "START": return run(`mutation($input: StartInterventionInput!) { startIntervention(input: $input) { intervention { id } } }`, id);
                case "COMPLETE": return run(`mutation($input: CompleteInterventionInput!) { completeIntervention(input: $input) { intervention { id } } }`, { ...id, outcome: x.text });
                default: return run(`mutation($input: StopInterventionInput!) { stopIntervention(input: $input) { intervention { id } } }`, { ...id, reason: x.text });
              }
            }} />
          ))}
        </section>
      )}
      {can(role, "process") && c.phase !== "ASSESSMENT" && (
        <MutationForm title={t("mg.close")} testid="close-form" submitLabel={t("mg.closeSubmit")}
          confirm={() => t("confirm.close") + (c.informing ? "" : " " + t("confirm.closeUninformed"))
            + (c.conferences.some((k) => !k.held) ? " " + t("confirm.closePlanned") : "")} fields={[
          { name: "summary", label: t("mg.summary"), kind: "textarea", error: "report.summary" },
          { name: "outcome", label: t("mg.outcome"), kind: "textarea", error: "report.outcome" },
          { name: "recommendations", label: t("mg.recommendations"), kind: "textarea", error: "report.recommendations" },
        ]} preview={(x) => (
          <>
            <h4>{t("mg.preview")}: {t("mg.reportTo")} {c.municipality.name}, {c.reference}</h4>
            <p>{String(x.summary || "…")}</p><p>{String(x.outcome || "…")}</p><p><em>{String(x.recommendations || "…")}</em></p>
          </>
        )} submit={(x) => run(`mutation($input: CloseCaseInput!) { closeCase(input: $input) { case { id } } }`, {
          case: c.id, expectedVersion: c.version, report: { summary: x.summary, outcome: x.outcome, recommendations: x.recommendations },
        })} />
      )}
    </div>
  );
}
