// Forms described as data: each field a label, a kind and the name the
// server's validation errors use, so that every form shows the server's
// message at the field it concerns, and a refused submit keeps what was typed.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useT } from "./i18n";
import { ErrorBanner, Field, fieldError } from "./ui";

export type Value = string | boolean | string[];
export type Values = Record<string, Value>;

export interface Spec {
  name: string;
  label: string;
  kind?: "text" | "textarea" | "date" | "time" | "select" | "checkbox" | "checks" | "number";
  options?: { value: string; label: string }[];
  // error is the input field the server names in its errors, when it is not name.
  error?: string;
  show?: (v: Values) => boolean;
}

function empty(s: Spec): Value {
  if (s.kind === "checkbox") return false;
  if (s.kind === "checks") return [];
  return "";
}

export function MutationForm({ title, fields, submit, testid, submitLabel, initial, preview, confirm, done }: {
  title: string;
  fields: Spec[];
  submit: (v: Values) => Promise<unknown>;
  testid: string;
  submitLabel?: string;
  initial?: Values;
  // preview shows what submitting would produce, as it is typed.
  preview?: (v: Values) => ReactNode;
  // confirm, for what cannot be undone, says what will happen; the form
  // asks for a second look before it sends.
  confirm?: (v: Values) => string;
  // done says what happened; "Opgeslagen" when not given.
  done?: string;
}) {
  const t = useT();
  const start = () => Object.fromEntries(fields.map((f) => [f.name, initial?.[f.name] ?? empty(f)]));
  const [values, setValues] = useState<Values>(start);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [saved, setSaved] = useState(false);
  const status = useRef<HTMLParagraphElement>(null);
  const question = useRef<HTMLDivElement>(null);
  useEffect(() => { if (saved) status.current?.focus(); }, [saved]);
  useEffect(() => { if (asking) question.current?.focus(); }, [asking]);
  const set = (name: string, v: Value) => { setSaved(false); setValues((old) => ({ ...old, [name]: v })); };
  const onSubmit = async () => {
    if (confirm && !asking) {
      setAsking(true);
      return;
    }
    setAsking(false);
    setError(null);
    setSaved(false);
    setBusy(true);
    try {
      await submit(values);
      setValues(start());
      setSaved(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" aria-label={title} data-testid={testid} onSubmit={(e) => { e.preventDefault(); void onSubmit(); }}>
      <h3>{title}</h3>
      <ErrorBanner error={error} />
      {fields.filter((f) => !f.show || f.show(values)).map((f) => {
        const id = `${testid}-${f.name}`;
        const err = fieldError(error, f.error ?? f.name);
        const v = values[f.name];
        switch (f.kind) {
          case "textarea":
            return <Field key={f.name} label={f.label} error={err}><textarea data-testid={id} value={v as string} onChange={(e) => set(f.name, e.target.value)} /></Field>;
          case "select":
            return (
              <Field key={f.name} label={f.label} error={err}>
                <select data-testid={id} value={v as string} onChange={(e) => set(f.name, e.target.value)}>
                  <option value="">—</option>
                  {f.options?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                </select>
              </Field>
            );
          case "checkbox":
            return (
              <label key={f.name} className="check">
                <input type="checkbox" data-testid={id} checked={v as boolean} onChange={(e) => set(f.name, e.target.checked)} /> {f.label}
              </label>
            );
          case "checks":
            return (
              <fieldset key={f.name} className={err ? "checks invalid" : "checks"}>
                <legend>{f.label}</legend>
                {f.options?.map((o) => (
                  <label key={o.value} className="check">
                    <input type="checkbox" data-testid={`${id}-${o.value}`} checked={(v as string[]).includes(o.value)}
                      onChange={(e) => set(f.name, e.target.checked ? [...(v as string[]), o.value] : (v as string[]).filter((x) => x !== o.value))} /> {o.label}
                  </label>
                ))}
                {err && <em className="field-error" data-testid="field-error">{err}</em>}
              </fieldset>
            );
          default:
            return (
              <Field key={f.name} label={f.label} error={err}>
                <input data-testid={id} type={f.kind ?? "text"} value={v as string} onChange={(e) => set(f.name, e.target.value)} />
              </Field>
            );
        }
      })}
      {preview && <div className="preview" data-testid={`${testid}-preview`}>{preview(values)}</div>}
      {saved && <p className="notice" role="status" tabIndex={-1} ref={status}>{done ?? t("form.saved")}</p>}
      {asking && confirm ? (
        <div className="confirm" role="group" aria-label={t("form.sure")} tabIndex={-1} ref={question}>
          <p>{confirm(values)}</p>
          <button type="submit" disabled={busy} data-testid={`${testid}-confirm`}>{t("form.yes")} {submitLabel ?? t("case.save")}</button>
          <button type="button" onClick={() => setAsking(false)}>{t("form.cancel")}</button>
        </div>
      ) : (
        <button type="submit" disabled={busy} data-testid={`${testid}-submit`}>{submitLabel ?? t("case.save")}</button>
      )}
    </form>
  );
}

// text returns a form value as a string, or undefined when empty, for
// optional input fields.
export function text(v: Value | undefined): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

// lines splits a textarea into its non-empty lines.
export function lines(v: Value | undefined): string[] {
  return typeof v === "string" ? v.split("\n").map((l) => l.trim()).filter(Boolean) : [];
}
