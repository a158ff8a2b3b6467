// The subjects of a case and their ties, as the director keeps them: edit a
// subject's record, remove a tie that turned out wrong, form a group of
// subjects, and follow a person on the watchlist.
import { useCallback, useEffect, useRef, useState } from "react";
import { gql, type Role } from "./api";
import { lines, MutationForm, text } from "./form";
import { useT, useValue } from "./i18n";
import { can, ErrorBanner } from "./ui";

interface Subject {
  id: string; fullName: string; notes: string | null; aliases: string[]; version: number;
  relatives: { kind: string; person: { id: string; fullName: string; redacted: boolean } }[];
  contacts: { id: string; role: string | null; from: { id: string }; to: { id: string; fullName: string; redacted: boolean } }[];
}

export function SubjectsPanel({ subjectIds, role, onChange }: { subjectIds: string[]; role: Role; onChange: () => void }) {
  const t = useT();
  const v = useValue();
  const [subjects, setSubjects] = useState<Subject[]>([]);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(0); // only the newest answer counts
  const load = useCallback(() => { const n = ++latest.current; return gql<{ nodes: (Subject | null)[] }>(
    `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Person { id fullName notes aliases version
      relatives { kind person { id fullName redacted } } contacts { id role from { id } to { id fullName redacted } } } } }`, { ids: subjectIds },
  ).then((d) => { if (n === latest.current) setSubjects(d.nodes.filter((x): x is Subject => !!x && "id" in x)); }).catch(setError); }, [subjectIds]);
  useEffect(() => { void load(); }, [load]);
  if (!can(role, "network.edit") || subjects.length === 0) return null;
  const run = async (mutation: string, input: Record<string, unknown>) => { await gql(mutation, { input }); await load(); onChange(); };
  return (
    <section aria-labelledby="h-subjects" className="subjects">
      <h2 id="h-subjects">{t("ps.title")}</h2>
      <ErrorBanner error={error} />
      {subjects.map((s) => (
        <article key={s.id} className="item" data-testid="subject">
          <p><strong>{s.fullName}</strong>{s.aliases.length ? ` (${s.aliases.join(", ")})` : ""}</p>
          <ul>
            {s.relatives.map((r) => (
              <li key={`r-${r.person.id}`}>{v(r.kind)}: {r.person.redacted ? t("net.redacted") : r.person.fullName}{" "}
                <button onClick={() => run(`mutation($input: UnrelatePersonsInput!) { unrelatePersons(input: $input) { person { id } } }`, { person: s.id, relative: r.person.id }).catch(setError)}>{t("ps.remove")}</button>
              </li>
            ))}
            {s.contacts.map((c) => (
              <li key={c.id}>{v(c.role ?? "CONTACT")}: {c.to.id === s.id ? "" : c.to.redacted ? t("net.redacted") : c.to.fullName}{" "}
                <button onClick={() => run(`mutation($input: RemoveNetworkContactInput!) { removeNetworkContact(input: $input) { contact { id } } }`, { contact: c.id }).catch(setError)}>{t("ps.remove")}</button>
              </li>
            ))}
          </ul>
          <MutationForm title={t("ps.edit")} testid={`edit-${s.id}`} initial={{ notes: s.notes ?? "", aliases: s.aliases.join("\n") }} fields={[
            { name: "aliases", label: t("ps.aliases"), kind: "textarea" },
            { name: "notes", label: t("req.notes"), kind: "textarea" },
          ]} submit={(x) => run(`mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id } } }`,
            { person: s.id, aliases: lines(x.aliases), notes: x.notes, expectedVersion: s.version })} />
          {can(role, "watch") && (
            <div className="buttons">
              <button onClick={() => run(`mutation($input: WatchInput!) { watchPerson(input: $input) { __typename } }`, { person: s.id }).catch(setError)}>{t("ps.watch")}</button>
              <button onClick={() => run(`mutation($input: WatchInput!) { unwatchPerson(input: $input) { __typename } }`, { person: s.id }).catch(setError)}>{t("ps.unwatch")}</button>
            </div>
          )}
        </article>
      ))}
      {subjects.length > 1 && (
        <MutationForm title={t("ps.group")} testid="group-form" fields={[
          { name: "name", label: t("ps.groupName") },
          { name: "members", label: t("ps.members"), kind: "checks", options: subjects.map((s) => ({ value: s.id, label: s.fullName })) },
        ]} submit={(x) => run(`mutation($input: CreateGroupInput!) { createGroup(input: $input) { group { id } } }`,
          { name: text(x.name) ?? "", members: x.members, idempotencyKey: crypto.randomUUID() })} />
      )}
    </section>
  );
}
