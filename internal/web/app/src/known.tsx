// "Bekend elders?": before opening a case on a signal, a director or
// coordinator asks whether the person is known where they cannot read; on
// a hit they may ask the coordinator to share. The coordinator grants for a
// set time or declines.
import { useCallback, useEffect, useState } from "react";
import { gql, type Role } from "./api";
import { MutationForm } from "./form";
import { useT } from "./i18n";
import { date, ErrorBanner, Link } from "./ui";

interface Answer { question: string; hit: boolean; contact: string }

// KnownElsewhere asks about the person of the signal (or case) purpose.
export function KnownElsewhere({ purpose, onRequested }: { purpose: string; onRequested?: () => void }) {
  const t = useT();
  const [answer, setAnswer] = useState<(Answer & { about: string }) | null>(null);
  const [requested, setRequested] = useState(false);
  return (
    <details className="known">
      <summary>{t("known.title")}</summary>
      <MutationForm title={t("known.ask")} testid={`known-${purpose}`} submitLabel={t("known.submit")} fields={[
        { name: "firstName", label: t("known.firstName") },
        { name: "lastName", label: t("known.lastName") },
        { name: "birthDate", label: t("known.birthDate"), kind: "date" },
      ]} submit={async (x) => {
        setRequested(false);
        const d = await gql<{ askKnownElsewhere: Answer }>(
          `mutation($input: KnownElsewhereInput!) { askKnownElsewhere(input: $input) { question hit contact } }`,
          { input: { purpose, firstName: x.firstName, lastName: x.lastName, birthDate: x.birthDate || null } });
        setAnswer({ ...d.askKnownElsewhere, about: `${x.firstName} ${x.lastName}`.trim() });
      }} />
      {answer && (
        <div role="status">
          <p><strong>{answer.about}</strong>: {answer.hit ? `${t("known.hit")} ${answer.contact}.` : t("known.noHit")}</p>
          {answer.hit && !requested && (
            <MutationForm title={t("known.request")} testid={`share-${purpose}`} submitLabel={t("known.requestSubmit")} fields={[
              { name: "reason", label: t("known.why"), kind: "textarea" },
            ]} submit={async (x) => {
              await gql(`mutation($input: RequestShareInput!) { requestShare(input: $input) { request { id } } }`, { input: { question: answer.question, reason: x.reason } });
              setRequested(true);
              onRequested?.();
            }} />
          )}
          {requested && <p>{t("known.requested")}</p>}
        </div>
      )}
    </details>
  );
}

interface Request {
  id: string; askerName: string; reason: string; askedAt: string; status: string; decision: string | null; decidedBy: string | null; until: string | null;
  cases: { id: string; reference: string; municipality: { name: string } }[];
}

// ShareRequests lists the caller's requests to share; for the coordinator
// every request, with the cases it found and the decision to take.
export function ShareRequests({ role, version = 0 }: { role: Role; version?: number }) {
  const t = useT();
  const [requests, setRequests] = useState<Request[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => gql<{ shareRequests: Request[] }>(
    `{ shareRequests { id askerName reason askedAt status decision decidedBy until cases { id reference municipality { name } } } }`,
  ).then((d) => setRequests(d.shareRequests)).catch(setError), []);
  useEffect(() => { void load(); }, [load, version]);
  if (requests.length === 0 && !error) return null;
  return (
    <section className="panel" aria-labelledby="share-title">
      <h2 id="share-title">{t("known.requests")}</h2>
      <ErrorBanner error={error} />
      <ul className="items">
        {requests.map((r) => (
          <li key={r.id} className="item" data-testid="share-request">
            <p><strong>{r.askerName}</strong>, {date(r.askedAt)}: {r.reason} · {t(`known.status.${r.status}`)}
              {r.until && ` ${t("known.until")} ${date(r.until)}`}{r.decision && ` — ${r.decidedBy}: ${r.decision}`}</p>
            {r.cases.length > 0 && <p>{t("known.found")}: {r.cases.map((c) => <Link key={c.id} to={`/cases/${encodeURIComponent(c.id)}`}>{c.reference} ({c.municipality.name})</Link>)}</p>}
            {role === "COORDINATOR" && r.status === "PENDING" && (
              <MutationForm title={t("known.decide")} testid={`decide-${r.id}`} submitLabel={t("known.decideSubmit")} fields={[
                { name: "grant", label: t("known.grant"), kind: "select", options: [{ value: "yes", label: t("known.grantYes") }, { value: "no", label: t("known.grantNo") }] },
                { name: "until", label: t("known.untilDate"), kind: "date", show: (x) => x.grant !== "no" },
                { name: "reason", label: t("case.reason"), kind: "textarea" },
              ]} submit={async (x) => {
                const grant = x.grant !== "no";
                await gql(`mutation($input: DecideShareInput!) { decideShare(input: $input) { request { id } } }`, {
                  input: { request: r.id, grant, until: grant && x.until ? `${x.until}T23:59:59Z` : null, reason: x.reason },
                });
                await load();
              }} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
