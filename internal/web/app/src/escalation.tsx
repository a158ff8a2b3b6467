// Escalation (opschaling) and advice: on the case page the coordinator or
// director moves a case between levels with the region's criteria in
// front of them, asks the levels' experts for advice and takes it up or
// declines it; the advisers of the Actiecentrum and the national level have
// a start page with the cases escalated to them and the questions to
// answer.
import { useCallback, useEffect, useState } from "react";
import { gql, type Session } from "./api";
import { useT, useValue } from "./i18n";
import { can, date, ErrorBanner, Field, fieldError, Link } from "./ui";

interface Criterion { code: string; label: string }
interface Agreement {
  level: string; label: string; description: string; legalGround: string;
  criteriaUp: Criterion[]; criteriaDown: Criterion[];
  participants: { organisation: { name: string }; roles: string[]; informationLevel: string }[];
}
interface Move { id: string; from: string; to: string; up: boolean; reason: string; legalGround: string; by: string; at: string; criteria: { code: string; explanation: string }[] }
interface Advice {
  id: string; caseId: string; caseReference: string; question: string; askedBy: string; askedAt: string; status: string;
  advice: string | null; givenBy: string | null; organisation: { name: string } | null; response: string | null; answeredBy: string | null;
}

const levels = ["LOCAL", "REGIONAL", "AVZ", "NATIONAL"];
const adviceFields = "id caseId caseReference question askedBy askedAt status advice givenBy organisation { name } response answeredBy";

function criterionLabel(agreements: Agreement[], code: string): string {
  for (const a of agreements) for (const k of [...a.criteriaUp, ...a.criteriaDown]) if (k.code === code) return k.label;
  return code;
}

// EscalationPanel is the case's level: who works it now, its moves in
// words, the form to move it, and its advice.
export function EscalationPanel({ caseId, level, version, closed, role, onChange }:
  { caseId: string; level: string; version: number; closed: boolean; role: string; onChange: () => void }) {
  const t = useT();
  const [agreements, setAgreements] = useState<Agreement[]>([]);
  const [moves, setMoves] = useState<Move[]>([]);
  const [advice, setAdvice] = useState<Advice[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const d = await gql<{ escalationAgreements: Agreement[]; case: { escalations: Move[]; advice: Advice[] } }>(
        `query($id: ID!) { escalationAgreements { level label description legalGround criteriaUp { code label } criteriaDown { code label }
           participants { organisation { name } roles informationLevel } }
         case(id: $id) { escalations { id from to up reason legalGround by at criteria { code explanation } } advice { ${adviceFields} } } }`, { id: caseId });
      setAgreements(d.escalationAgreements);
      setMoves(d.case.escalations);
      setAdvice(d.case.advice);
    } catch (e) {
      setError(e);
    }
  }, [caseId]);
  useEffect(() => { void load(); }, [load, version]);
  const current = agreements.find((a) => a.level === level);
  const label = (l: string) => agreements.find((a) => a.level === l)?.label ?? l;
  return (
    <section className="panel" aria-labelledby="esc-title">
      <h2 id="esc-title">{t("esc.title")}</h2>
      <ErrorBanner error={error} />
      {current && (
        <>
          <p><strong>{current.label}</strong> — {current.description}</p>
          <p className="muted">{t("esc.ground")}: {current.legalGround}</p>
          <Participants agreements={agreements} level={level} />
        </>
      )}
      {moves.length > 0 && (
        <>
          <h3>{t("esc.history")}</h3>
          <ol className="timeline" data-testid="escalations">
            {moves.map((m) => (
              <li key={m.id}>
                <time>{date(m.at)}</time> {m.up ? t("esc.movedUp") : t("esc.movedDown")} {label(m.from)} → {label(m.to)}
                {m.by ? ` ${t("esc.by")} ${m.by}` : ""}: {m.criteria.map((k) => criterionLabel(agreements, k.code) + (k.explanation ? ` (${k.explanation})` : "")).join("; ")}
                {m.reason ? `. ${m.reason}` : ""}
              </li>
            ))}
          </ol>
        </>
      )}
      {can(role as never, "escalate") && !closed && agreements.length > 0 && (
        <MoveForm caseId={caseId} level={level} version={version} agreements={agreements} onDone={() => { onChange(); void load(); }} />
      )}
      <AdviceList advice={advice} role={role} onDone={() => { onChange(); void load(); }} />
      {can(role as never, "askAdvice") && !closed && level !== "LOCAL" && (
        <AskAdvice caseId={caseId} to={agreements.slice(1, levels.indexOf(level) + 1).flatMap((a) => a.participants.map((p) => p.organisation.name))}
          national={level === "NATIONAL"} onDone={() => { onChange(); void load(); }} />
      )}
    </section>
  );
}

// Participants lists who works the case at level: the participants of it
// and of every level below it.
function Participants({ agreements, level }: { agreements: Agreement[]; level: string }) {
  const t = useT();
  const upTo = agreements.slice(0, levels.indexOf(level) + 1).flatMap((a) => a.participants);
  if (upTo.length === 0) return <p>{t("esc.ownPeople")}</p>;
  return (
    <ul data-testid="participants">
      <li>{t("esc.ownPeople")}</li>
      {upTo.map((p, i) => <li key={i}>{p.organisation.name}: {t(`esc.info.${p.informationLevel}`)}</li>)}
    </ul>
  );
}

function MoveForm({ caseId, level, version, agreements, onDone }:
  { caseId: string; level: string; version: number; agreements: Agreement[]; onDone: () => void }) {
  const t = useT();
  const i = levels.indexOf(level);
  const [chosen, setUp] = useState(i < levels.length - 1);
  // At the lowest level a case can only go up, at the highest only down.
  const up = i === 0 ? true : i === levels.length - 1 ? false : chosen;
  const [to, setTo] = useState("");
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState("");
  const targets = levels.filter((_, j) => (up ? j > i : j < i));
  const target = to && targets.includes(to) ? to : targets[0] ?? "";
  const criteria = up ? agreements.find((a) => a.level === target)?.criteriaUp ?? [] : agreements.find((a) => a.level === level)?.criteriaDown ?? [];
  const label = (l: string) => agreements.find((a) => a.level === l)?.label ?? l;
  const submit = async () => {
    setBusy(true); setError(null); setDone("");
    try {
      const list = criteria.filter((k) => k.code in checked).map((k) => ({ code: k.code, explanation: checked[k.code] }));
      const input = { case: caseId, to: target, criteria: list, reason, expectedVersion: version };
      if (up) await gql(`mutation($input: EscalationInput!) { escalateCase(input: $input) { case { id } } }`, { input });
      else await gql(`mutation($input: EscalationInput!) { deescalateCase(input: $input) { case { id } } }`, { input });
      setDone(up ? t("esc.doneUp") + " " + label(target) : t("esc.doneDown") + " " + label(target));
      setChecked({}); setReason("");
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); void submit(); }} aria-labelledby="esc-move">
      <h3 id="esc-move">{t("esc.move")}</h3>
      {done && <p className="notice" role="status">{done}</p>}
      <ErrorBanner error={error} />
      <fieldset>
        <legend>{t("esc.direction")}</legend>
        {i < levels.length - 1 && <label><input type="radio" name="esc-dir" checked={up} onChange={() => setUp(true)} /> {t("esc.up")}</label>}
        {i > 0 && <label><input type="radio" name="esc-dir" checked={!up} onChange={() => setUp(false)} /> {t("esc.down")}</label>}
      </fieldset>
      <Field label={t("esc.to")} error={fieldError(error, "to")}>
        <select value={target} onChange={(e) => setTo(e.target.value)}>
          {targets.map((l) => <option key={l} value={l}>{label(l)}</option>)}
        </select>
      </Field>
      <fieldset>
        <legend>{up ? t("esc.criteriaUp") : t("esc.criteriaDown")}</legend>
        {fieldError(error, "criteria") && <p className="field-error">{fieldError(error, "criteria")}</p>}
        {criteria.map((k, n) => (
          <div key={k.code} className="criterion">
            <label><input type="checkbox" checked={k.code in checked}
              onChange={(e) => setChecked((old) => { const c = { ...old }; if (e.target.checked) c[k.code] = ""; else delete c[k.code]; return c; })} /> {k.label}</label>
            {k.code in checked && (
              <Field label={`${t("esc.explain")}: ${k.label}`} error={fieldError(error, `criteria.${Object.keys(checked).indexOf(k.code)}.explanation`)}>
                <textarea value={checked[k.code]} data-n={n} onChange={(e) => setChecked((old) => ({ ...old, [k.code]: e.target.value }))} />
              </Field>
            )}
          </div>
        ))}
      </fieldset>
      <Field label={t("case.reason")} error={fieldError(error, "reason")}>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <button type="submit" disabled={busy || !target}>{up ? t("esc.submitUp") : t("esc.submitDown")} {label(target)}</button>
    </form>
  );
}

function AdviceList({ advice, role, onDone }: { advice: Advice[]; role: string; onDone: () => void }) {
  const t = useT();
  const v = useValue();
  if (advice.length === 0) return null;
  return (
    <>
      <h3>{t("adv.title")}</h3>
      <ul className="items" data-testid="advice">
        {advice.map((a) => (
          <li key={a.id} className="item">
            <p><strong>{a.question}</strong> — {a.askedBy ? `${t("adv.askedBy")} ${a.askedBy}, ` : ""}{date(a.askedAt)} · {v(a.status)}</p>
            {a.advice && <p>{t("adv.advice")} ({a.givenBy}{a.organisation ? `, ${a.organisation.name}` : ""}): {a.advice}</p>}
            {a.response && <p>{t("adv.response")} ({a.answeredBy}): {a.response}</p>}
            {a.status === "GIVEN" && can(role as never, "askAdvice") && <AnswerAdvice id={a.id} onDone={onDone} />}
          </li>
        ))}
      </ul>
    </>
  );
}

function AnswerAdvice({ id, onDone }: { id: string; onDone: () => void }) {
  const t = useT();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const answer = async (takeUp: boolean) => {
    setBusy(true); setError(null);
    try {
      await gql(`mutation($input: AnswerAdviceInput!) { answerAdvice(input: $input) { advice { id } } }`, { input: { advice: id, takeUp, reason } });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <ErrorBanner error={error} />
      <Field label={t("adv.why")} error={fieldError(error, "reason")}>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <button disabled={busy} onClick={() => void answer(true)}>{t("adv.takeUp")}</button>
      <button disabled={busy} onClick={() => void answer(false)}>{t("adv.decline")}</button>
    </div>
  );
}

// TextForm sends one required text: a question, advice.
function TextForm({ title, label, field, hint, button, done, send, onDone }:
  { title?: string; label: string; field: string; hint?: string; button: string; done: string; send: (text: string) => Promise<unknown>; onDone: () => void }) {
  const [text, setText] = useState("");
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <form onSubmit={async (e) => {
      e.preventDefault();
      setBusy(true); setError(null); setSent(false);
      try {
        await send(text);
        setText("");
        setSent(true);
        onDone();
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    }}>
      {title && <h3>{title}</h3>}
      {sent && <p className="notice" role="status">{done}</p>}
      <ErrorBanner error={error} />
      <Field label={label} error={fieldError(error, field)}>
        <textarea value={text} onChange={(e) => setText(e.target.value)} aria-describedby={hint ? "text-hint" : undefined} />
      </Field>
      {hint && <p id="text-hint" className="muted">{hint}</p>}
      <button type="submit" disabled={busy}>{button}</button>
    </form>
  );
}

function AskAdvice({ caseId, to, national, onDone }: { caseId: string; to: string[]; national: boolean; onDone: () => void }) {
  const t = useT();
  const hint = `${t("adv.to")} ${to.length ? [...new Set(to)].join(", ") : t("adv.toNobody")}.${national ? " " + t("adv.hint") : ""}`;
  return <TextForm title={t("adv.ask")} label={t("adv.question")} field="question" hint={hint} button={t("adv.askSubmit")} done={t("adv.asked")} onDone={onDone}
    send={(question) => gql(`mutation($input: AskAdviceInput!) { askAdvice(input: $input) { advice { id } } }`, { input: { case: caseId, question } })} />;
}

interface Context { reference: string; phase: string; escalationLevel: string; riskGroups: string[]; openedAt: string; escalations: Move[]; advice: Advice[] }

// AdvicePage is an adviser's start page: the cases escalated to their
// organisation (in full, or their process only), and the questions to
// answer.
export function AdvicePage({ session }: { session: Session }) {
  const t = useT();
  const v = useValue();
  const [cases, setCases] = useState<{ id: string; reference: string; phase: string; escalationLevel: string; municipality: { name: string } }[]>([]);
  const [contexts, setContexts] = useState<Context[]>([]);
  const [questions, setQuestions] = useState<Advice[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const d = await gql<{ cases: { edges: { node: { id: string; reference: string; phase: string; escalationLevel: string; municipality: { name: string } } }[] }; caseContexts: Context[]; openAdviceQuestions: Advice[] }>(
        `{ cases(first: 50) { edges { node { id reference phase escalationLevel municipality { name } } } }
           caseContexts { reference phase escalationLevel riskGroups openedAt escalations { id from to up reason legalGround by at criteria { code explanation } } advice { ${adviceFields} } }
           openAdviceQuestions { ${adviceFields} } }`);
      setCases(d.cases.edges.map((e) => e.node));
      setContexts(d.caseContexts);
      setQuestions(d.openAdviceQuestions);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => { void load(); }, [load]);
  return (
    <section className="advice-page">
      <h1>{t("adv.page")}</h1>
      <p className="muted">{session.user.name}</p>
      <ErrorBanner error={error} />
      <h2>{t("adv.open")}</h2>
      {questions.length === 0 && <p className="muted">{t("case.none")}</p>}
      <ul className="items">
        {questions.map((q) => (
          <li key={q.id} className="item" data-testid="open-question">
            <p><strong>{q.caseReference}</strong>: {q.question} — {q.askedBy ? `${q.askedBy}, ` : ""}{date(q.askedAt)}</p>
            <GiveAdvice id={q.id} onDone={load} />
          </li>
        ))}
      </ul>
      {cases.length > 0 && (
        <>
          <h2>{t("adv.cases")}</h2>
          <ul className="items" data-testid="escalated-cases">
            {cases.map((c) => <li key={c.id}><Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.reference}</Link> · {c.municipality.name} · {v(c.phase)} · {v(c.escalationLevel)}</li>)}
          </ul>
        </>
      )}
      {contexts.length > 0 && (
        <>
          <h2>{t("adv.contexts")}</h2>
          <p className="muted">{t("adv.contextsHint")}</p>
          <ul className="items" data-testid="case-contexts">
            {contexts.map((c) => (
              <li key={c.reference} className="item">
                <p><strong>{c.reference}</strong> · {v(c.phase)} · {v(c.escalationLevel)} · {c.riskGroups.map(v).join(", ")} · {t("adv.opened")} {date(c.openedAt)}</p>
                <p>{c.escalations.map((m) => `${date(m.at)}: ${v(m.from)} → ${v(m.to)}`).join("; ")}</p>
                {c.advice.map((a) => <p key={a.id}>{t("adv.question")}: {a.question} · {v(a.status)}</p>)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function GiveAdvice({ id, onDone }: { id: string; onDone: () => void }) {
  const t = useT();
  return <TextForm label={t("adv.yourAdvice")} field="advice" button={t("adv.give")} done={t("adv.given")} onDone={onDone}
    send={(text) => gql(`mutation($input: GiveAdviceInput!) { giveAdvice(input: $input) { advice { id } } }`, { input: { advice: id, text } })} />;
}
