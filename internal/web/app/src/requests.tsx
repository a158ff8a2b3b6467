// The data-protection officer's work: requests of persons concerned with
// their deadlines (open and overdue first), registering a new one for a
// person found by name, extending and deciding, and the access dossier as
// JSON or PDF.
import { useCallback, useEffect, useState } from "react";
import { download, gql } from "./api";
import { MutationForm, text } from "./form";
import { useT, useValue } from "./i18n";
import { ErrorBanner } from "./ui";

interface Req {
  id: string; kind: string; person: string; personName: string; receivedOn: string; deadline: string; overdue: boolean;
  extensionReason: string | null; decision: string | null; decisionReason: string | null; identityCheckedBy: string; restricted: boolean;
}

export function RequestsPage() {
  const t = useT();
  const v = useValue();
  const [requests, setRequests] = useState<Req[]>([]);
  const [people, setPeople] = useState<{ id: string; name: string; birthDate: string | null }[]>([]);
  const [search, setSearch] = useState("");
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => gql<{ subjectRequests: Req[] }>(`{ subjectRequests { id kind person personName receivedOn deadline overdue extensionReason decision decisionReason identityCheckedBy restricted } }`)
    .then((d) => setRequests(d.subjectRequests)).catch(setError), []);
  useEffect(() => { void load(); }, [load]);
  const find = async () => {
    setError(null);
    try {
      setPeople((await gql<{ requesters: typeof people }>(`query($n: String!) { requesters(name: $n) { id name birthDate } }`, { n: search })).requesters);
    } catch (e) {
      setError(e);
    }
  };
  const run = (mutation: string) => async (input: Record<string, unknown>) => { await gql(mutation, { input }); await load(); };
  const open = requests.filter((r) => !r.decision);

  return (
    <section className="requests">
      <h1>{t("req.title")}</h1>
      <ErrorBanner error={error} />
      <p data-testid="requests-open">{open.length} {t("req.open")} · {open.filter((r) => r.overdue).length} {t("req.overdue")}</p>
      <form className="panel" aria-label={t("req.find")} onSubmit={(e) => { e.preventDefault(); void find(); }}>
        <h2>{t("req.new")}</h2>
        <label className="field"><span>{t("req.find")}</span><input value={search} onChange={(e) => setSearch(e.target.value)} data-testid="requester-search" /></label>
        <button type="submit" data-testid="requester-find">{t("cases.search")}</button>
      </form>
      {people.length > 0 && (
        <MutationForm title={t("req.register")} testid="request-form" fields={[
          { name: "person", label: t("req.person"), kind: "select", options: people.map((p) => ({ value: p.id, label: `${p.name}${p.birthDate ? ` (${p.birthDate})` : ""}` })) },
          { name: "kind", label: t("req.kind"), kind: "select", options: ["ACCESS", "RECTIFICATION", "RESTRICTION", "OBJECTION", "ERASURE"].map((k) => ({ value: k, label: v(k) })) },
          { name: "receivedOn", label: t("req.received"), kind: "date" },
          { name: "identityCheckedBy", label: t("req.identity") },
          { name: "notes", label: t("req.notes"), kind: "textarea" },
        ]} submit={run(`mutation($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id } } }`)} />
      )}
      <h2>{t("req.list")}</h2>
      {requests.length === 0 && <p className="muted">{t("case.none")}</p>}
      {requests.map((r) => (
        <article key={r.id} className="item" data-testid="request">
          <p><strong>{v(r.kind)}</strong> · {r.personName} · {t("req.received")} {r.receivedOn} · {t("req.deadline")} {r.deadline}
            {r.overdue && <span className="badge warn"> {t("req.overdue")}</span>}
            {r.decision && <> · <strong>{v(r.decision)}</strong>{r.decisionReason ? `: ${r.decisionReason}` : ""}</>}</p>
          {r.extensionReason && <p className="muted">{t("req.extended")}: {r.extensionReason}</p>}
          <div className="buttons">
            <button onClick={() => download(`/dossier/${encodeURIComponent(r.person)}?format=pdf`, "inzagedossier.pdf").catch(setError)} data-testid="dossier-pdf">{t("req.dossierPdf")}</button>
            <button onClick={() => download(`/dossier/${encodeURIComponent(r.person)}?format=json`, "inzagedossier.json").catch(setError)}>{t("req.dossierJson")}</button>
            <button onClick={() => download(`/dossier/${encodeURIComponent(r.person)}?format=record`, "verantwoording-inzagedossier.pdf").catch(setError)}>{t("req.dossierRecord")}</button>
            {(r.kind === "RESTRICTION" || r.kind === "OBJECTION") && (
              <button data-testid={`restrict-${r.id}`} onClick={() => run(`mutation($input: RestrictPersonInput!) { restrictPerson(input: $input) { request { id } } }`)({ request: r.id, lift: r.restricted }).catch(setError)}>
                {r.restricted ? t("req.lift") : t("req.restrict")}
              </button>
            )}
            {r.restricted && <span className="badge warn">{t("req.restricted")}</span>}
          </div>
          {!r.decision && (
            <div className="columns">
              {!r.extensionReason && (
                <MutationForm title={t("req.extend")} testid={`extend-${r.id}`} fields={[{ name: "reason", label: t("case.reason") }]}
                  submit={(x) => run(`mutation($input: ExtendRequestInput!) { extendRequest(input: $input) { request { id } } }`)({ request: r.id, reason: x.reason })} />
              )}
              {r.kind === "RECTIFICATION" && (
                <MutationForm title={t("req.rectify")} testid={`rectify-${r.id}`} fields={[
                  { name: "firstName", label: t("mg.firstName") },
                  { name: "lastName", label: t("mg.lastName") },
                  { name: "notes", label: t("req.notes"), kind: "textarea" },
                ]} submit={(x) => run(`mutation($input: RectifyPersonInput!) { rectifyPerson(input: $input) { request { id } } }`)({
                  request: r.id, firstName: text(x.firstName), lastName: text(x.lastName), notes: text(x.notes),
                })} />
              )}
              <MutationForm title={t("req.decide")} testid={`decide-${r.id}`} fields={[
                { name: "decision", label: t("m.decision"), kind: "select", options: ["GRANTED", "PARTIALLY_GRANTED", "REFUSED"].map((d) => ({ value: d, label: v(d) })) },
                { name: "reason", label: t("req.ground"), kind: "textarea" },
              ]} submit={(x) => run(`mutation($input: DecideRequestInput!) { decideRequest(input: $input) { request { id } } }`)({ request: r.id, decision: x.decision || null, reason: text(x.reason) })} />
            </div>
          )}
        </article>
      ))}
    </section>
  );
}
