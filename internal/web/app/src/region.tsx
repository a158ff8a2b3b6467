// The region's work beyond single cases: possible duplicate records (the
// coordinator merges them), bridges between cases and the communities of a
// municipality's network (analysts), trainings of field staff, and the
// inhabitants per year that share the costs.
import { useCallback, useEffect, useState } from "react";
import { gql, type Session } from "./api";
import { MutationForm } from "./form";
import { useT } from "./i18n";
import { can, ErrorBanner } from "./ui";

interface PersonRef { id: string; fullName: string; redacted: boolean }
interface Pair { a: PersonRef; b: PersonRef; score: number; reasons: string[] }
interface Bridge { person: PersonRef; caseCount: number; cases: { reference: string }[] }
interface Community { size: number; members: PersonRef[] }

export function RegionPage({ session }: { session: Session }) {
  const t = useT();
  const role = session.user.role;
  const [pairs, setPairs] = useState<Pair[]>([]);
  const [bridges, setBridges] = useState<Bridge[]>([]);
  const [communities, setCommunities] = useState<{ modularity: number; communities: Community[] } | null>(null);
  const [municipalities, setMunicipalities] = useState<{ code: string; name: string }[]>([]);
  const [organisations, setOrganisations] = useState<{ id: string; name: string }[]>([]);
  const [trainings, setTrainings] = useState<{ id: string; date: string; topic: string; participants: number; organisation: { name: string }; municipality: { name: string } }[]>([]);
  const [allocation, setAllocation] = useState<{ year: number; totalInhabitants: number; shares: { municipality: { name: string }; inhabitants: number; cents: number; percentage: number }[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const d = await gql<{ municipalities: typeof municipalities; organisations: typeof organisations; trainings: typeof trainings }>(
        `{ municipalities { code name } organisations { id name } trainings { id date topic participants organisation { name } municipality { name } } }`);
      setMunicipalities(d.municipalities);
      setOrganisations(d.organisations);
      setTrainings(d.trainings);
      if (can(role, "duplicates")) {
        setPairs((await gql<{ possibleDuplicates: Pair[] }>(`{ possibleDuplicates(first: 50) { score reasons a { id fullName redacted } b { id fullName redacted } } }`)).possibleDuplicates);
      }
      if (can(role, "analysis")) {
        setBridges((await gql<{ bridges: Bridge[] }>(`{ bridges(first: 50) { caseCount person { id fullName redacted } cases { reference } } }`)).bridges);
      }
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [role]);
  useEffect(() => { void load(); }, [load]);

  const [question, setQuestion] = useState("");
  const community = async (municipality: string) => {
    setBusy(true);
    setError(null);
    try {
      setCommunities((await gql<{ communities: { modularity: number; communities: Community[] } }>(
        `query($m: String!, $q: String) { communities(scope: {municipality: $m, question: $q}) { modularity communities { size members { id fullName redacted } } } }`,
        { m: municipality, q: question.trim() || undefined })).communities);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const name = (p: PersonRef) => (p.redacted ? t("net.redacted") : p.fullName);

  return (
    <section className="region">
      <h1>{t("reg.title")}</h1>
      <ErrorBanner error={error} />
      {can(role, "duplicates") && (
        <section aria-labelledby="h-dup">
          <h2 id="h-dup">{t("reg.duplicates")}</h2>
          {pairs.length === 0 && <p className="muted">{t("case.none")}</p>}
          {pairs.map((p) => (
            <article key={`${p.a.id}-${p.b.id}`} className="item" data-testid="duplicate">
              <p><strong>{name(p.a)}</strong> ↔ <strong>{name(p.b)}</strong> · {Math.round(p.score * 100)}% · {p.reasons.join("; ")}</p>
              {can(role, "merge") && (
                <MutationForm title={t("reg.merge")} testid={`merge-${p.a.id}`} fields={[
                  { name: "keep", label: t("reg.keep"), kind: "select", options: [p.a, p.b].map((x) => ({ value: x.id, label: name(x) })) },
                  { name: "reason", label: t("case.reason") },
                ]} submit={async (x) => {
                  await gql(`mutation($input: MergePersonsInput!) { mergePersons(input: $input) { person { id } } }`,
                    { input: { keep: x.keep, merge: x.keep === p.a.id ? p.b.id : p.a.id, reason: x.reason } });
                  await load();
                }} />
              )}
            </article>
          ))}
        </section>
      )}
      {can(role, "analysis") && (
        <section aria-labelledby="h-bridges">
          <h2 id="h-bridges">{t("reg.bridges")}</h2>
          <ul>{bridges.map((b) => <li key={b.person.id} data-testid="bridge">{name(b.person)}: {b.caseCount} {t("reg.cases")} ({b.cases.map((c) => c.reference).join(", ")})</li>)}</ul>
          {bridges.length === 0 && <p className="muted">{t("case.none")}</p>}
          <h2>{t("reg.communities")}</h2>
          <label className="field"><span>{t("net.question")}</span>
            <input value={question} onChange={(e) => setQuestion(e.target.value)} data-testid="community-question" /></label>
          <div className="buttons">
            {municipalities.filter((m) => session.user.municipalities.length === 0 || session.user.municipalities.includes(m.code)).map((m) => (
              <button key={m.code} disabled={busy} onClick={() => void community(m.code)} data-testid={`community-${m.code}`}>{m.name}</button>
            ))}
          </div>
          {communities && (
            <div role="status" data-testid="communities">
              <p>{communities.communities.length} {t("reg.groups")} · modulariteit {communities.modularity.toFixed(2)}</p>
              <ol>{communities.communities.map((c, i) => <li key={i}>{c.size}: {c.members.slice(0, 8).map(name).join(", ")}{c.size > 8 ? " …" : ""}</li>)}</ol>
            </div>
          )}
        </section>
      )}
      <section aria-labelledby="h-train">
        <h2 id="h-train">{t("reg.trainings")}</h2>
        <ul>{trainings.map((x) => <li key={x.id}>{x.date} · {x.organisation.name} · {x.municipality.name} · {x.participants} · {x.topic}</li>)}</ul>
        {can(role, "training") && (
          <MutationForm title={t("reg.recordTraining")} testid="training-form" fields={[
            { name: "date", label: t("k.date"), kind: "date" },
            { name: "organisation", label: t("reg.organisation"), kind: "select", options: organisations.map((o) => ({ value: o.id, label: o.name })) },
            { name: "municipality", label: t("col.municipality"), kind: "select", options: municipalities.map((m) => ({ value: m.code, label: m.name })) },
            { name: "participants", label: t("reg.participants"), kind: "number" },
            { name: "topic", label: t("reg.topic") },
          ]} submit={async (x) => {
            await gql(`mutation($input: RecordTrainingInput!) { recordTraining(input: $input) { training { id } } }`,
              { input: { date: x.date || null, organisation: x.organisation, municipality: x.municipality, participants: Number(x.participants || 0), topic: x.topic } });
            await load();
          }} />
        )}
      </section>
      {can(role, "funding") && (
        <section aria-labelledby="h-fund">
          <h2 id="h-fund">{t("reg.funding")}</h2>
          <MutationForm title={t("reg.allocate")} testid="allocation-form" submitLabel={t("reg.compute")} fields={[
            { name: "budget", label: t("reg.budget"), kind: "number" },
            { name: "year", label: t("reg.year"), kind: "number" },
          ]} submit={async (x) => {
            setAllocation((await gql<{ costAllocation: NonNullable<typeof allocation> }>(`query($b: Int!, $y: Int!) { costAllocation(budgetCents: $b, year: $y) { year totalInhabitants shares { municipality { name } inhabitants cents percentage } } }`,
              { b: Math.round(Number(x.budget || 0) * 100), y: Number(x.year || 0) })).costAllocation);
          }} />
          {allocation && (
            <table className="list" data-testid="allocation">
              <caption>{t("reg.allocation")} {allocation.year}</caption>
              <thead><tr><th scope="col">{t("col.municipality")}</th><th scope="col">{t("reg.inhabitants")}</th><th scope="col">€</th><th scope="col">%</th></tr></thead>
              <tbody>{allocation.shares.map((s) => <tr key={s.municipality.name}><td>{s.municipality.name}</td><td>{s.inhabitants}</td><td>{(s.cents / 100).toFixed(2)}</td><td>{s.percentage.toFixed(2)}</td></tr>)}</tbody>
            </table>
          )}
          {can(role, "inhabitants") && (
            <MutationForm title={t("reg.setInhabitants")} testid="inhabitants-form" fields={[
              { name: "municipality", label: t("col.municipality"), kind: "select", options: municipalities.map((m) => ({ value: m.code, label: m.name })) },
              { name: "year", label: t("reg.year"), kind: "number" },
              { name: "inhabitants", label: t("reg.inhabitants"), kind: "number" },
            ]} submit={(x) => gql(`mutation($input: SetInhabitantsInput!) { setInhabitants(input: $input) { year } }`,
              { input: { municipality: x.municipality, year: Number(x.year || 0), inhabitants: Number(x.inhabitants || 0) } })} />
          )}
        </section>
      )}
    </section>
  );
}
