// From the person in a signal to the person in a case: whoever triages a
// signal finds the person the reporter described, or records them, and
// links them to the signal, so that the case opened from it is about them;
// a case's director adds a person concerned later.
import { useState } from "react";
import { gql } from "./api";
import { useT } from "./i18n";
import { date, ErrorBanner, Field } from "./ui";

export interface Subject { firstName: string; lastName: string; birthDate: string | null; details: string }
interface Found { id: string; fullName: string; birthDate: string | null; municipality: { name: string } | null }

// search finds persons by name, as the person search does.
async function search(name: string): Promise<Found[]> {
  const d = await gql<{ persons: { edges: { node: Found }[] } }>(
    `query($n: String!) { persons(first: 10, filter: {name: $n}) { edges { node { id fullName birthDate municipality { name } } } } }`, { n: name });
  return d.persons.edges.map((e) => e.node);
}

// FindPerson searches by name and offers each person found for pick; with
// record, it also offers to record the person as described.
function FindPerson({ initial, pickLabel, pick, record }: {
  initial: string; pickLabel: string; pick: (id: string) => Promise<unknown>; record?: () => Promise<unknown>;
}) {
  const t = useT();
  const [name, setName] = useState(initial);
  const [found, setFound] = useState<Found[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (f: () => Promise<unknown>) => {
    setBusy(true); setError(null);
    try { await f(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <div>
      <ErrorBanner error={error} />
      <form onSubmit={(e) => { e.preventDefault(); void run(async () => setFound(await search(name))); }}>
        <Field label={t("link.name")}><input value={name} onChange={(e) => setName(e.target.value)} /></Field>
        <button type="submit" disabled={busy}>{t("link.search")}</button>
      </form>
      {found && found.length === 0 && <p className="muted">{t("link.none")}</p>}
      {found && found.length > 0 && (
        <ul className="items">
          {found.map((p) => (
            <li key={p.id}>
              {p.fullName}{p.birthDate ? `, ${t("link.born")} ${date(p.birthDate)}` : ""}{p.municipality ? `, ${p.municipality.name}` : ""}{" "}
              <button disabled={busy} onClick={() => void run(() => pick(p.id))} aria-label={`${pickLabel}: ${p.fullName}`}>{pickLabel}</button>
            </li>
          ))}
        </ul>
      )}
      {record && found && <button disabled={busy} onClick={() => void run(record)}>{t("link.record")}</button>}
    </div>
  );
}

// SignalSubjectLink links an open signal to the person it is about.
export function SignalSubjectLink({ signal, municipality, subject, onDone }: {
  signal: string; municipality: string; subject: Subject | null; onDone: () => void;
}) {
  const t = useT();
  const link = async (person: string) => {
    await gql(`mutation($input: LinkSignalPersonInput!) { linkSignalPerson(input: $input) { signal { id } } }`, { input: { signal, person } });
    onDone();
  };
  return (
    <details className="link">
      <summary>{t("link.signal")}</summary>
      <FindPerson initial={subject ? `${subject.firstName} ${subject.lastName}`.trim() : ""} pickLabel={t("link.pick")} pick={link}
        record={subject ? async () => {
          const d = await gql<{ createPerson: { person: { id: string } } }>(
            `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } } }`,
            { input: { firstName: subject.firstName || null, lastName: subject.lastName, birthDate: subject.birthDate, municipality, idempotencyKey: crypto.randomUUID() } });
          await link(d.createPerson.person.id);
        } : undefined} />
    </details>
  );
}

// AddCaseSubject makes a person found by name a person concerned of a case.
export function AddCaseSubject({ caseId, version, onDone }: { caseId: string; version: number; onDone: () => void }) {
  const t = useT();
  return (
    <details className="link">
      <summary>{t("link.addSubject")}</summary>
      <FindPerson initial="" pickLabel={t("link.add")} pick={async (person) => {
        await gql(`mutation($input: AddCaseSubjectInput!) { addCaseSubject(input: $input) { case { id } } }`, { input: { case: caseId, person, expectedVersion: version } });
        onDone();
      }} />
    </details>
  );
}
