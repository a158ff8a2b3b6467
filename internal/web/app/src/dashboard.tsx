// The live dashboard: Subscription.dashboard, charts with Chart.js.
import { useEffect, useRef, useState } from "react";
import { Chart, BarController, BarElement, CategoryScale, LinearScale, Tooltip, DoughnutController, ArcElement, Legend } from "chart.js";
import { gql, subscribe, type Session } from "./api";
import { useT, useValue } from "./i18n";
import { can, ErrorBanner, Link } from "./ui";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, DoughnutController, ArcElement, Legend);

interface Tally { key: string; count: number }
interface Dashboard {
  stagnatingGoals: number;
  overdueActions: Tally[];
  overdueReassessments: number;
  informingOverdue: number;
  openCases: number;
  overdueReviews: number;
  newSignals: number;
  trainedStaff: number;
  asOf: string;
  casesByPhase: Tally[];
  casesByRiskGroup: Tally[];
  casesByMunicipality: Tally[];
  casesByEscalationLevel: Tally[];
  directors: { director: { id: string; name: string }; openCases: number; capacity: number; overdueReviews: number }[];
}

const fields = `openCases overdueReviews newSignals trainedStaff asOf stagnatingGoals overdueActions { key count } overdueReassessments informingOverdue
  casesByPhase { key count } casesByRiskGroup { key count } casesByMunicipality { key count } casesByEscalationLevel { key count }
  directors { director { id name } openCases capacity overdueReviews }`;

const phases = ["REGISTERED", "ASSESSMENT", "CASE_CONFERENCE", "ACTION_PLAN", "EXECUTION", "AFTERCARE"];

export function DashboardPage({ session }: { session: Session }) {
  const t = useT();
  const [municipality, setMunicipality] = useState<string>("");
  const [municipalities, setMunicipalities] = useState<{ code: string; name: string }[]>([]);
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(false);

  useEffect(() => {
    gql<{ municipalities: { code: string; name: string }[] }>(`{ municipalities { code name } }`)
      .then((d) => setMunicipalities(d.municipalities.filter((m) => session.user.role === "COORDINATOR" || session.user.municipalities.includes(m.code))))
      .catch(setError);
  }, [session]);

  useEffect(() => {
    setData(null);
    setError(null);
    const vars = municipality ? { municipality } : {};
    const stop = subscribe<{ dashboard: Dashboard }>(
      `subscription($municipality: String) { dashboard(municipality: $municipality) { ${fields} } }`,
      vars,
      (d) => { setData(d.dashboard); setLive(true); },
      (e) => { setError(e); setLive(false); },
    );
    return () => { stop(); setLive(false); };
  }, [municipality]);

  const names = Object.fromEntries(municipalities.map((m) => [m.code, m.name]));
  const count = (list: Tally[] | undefined, key: string) => list?.find((x) => x.key === key)?.count ?? 0;
  return (
    <section>
      <header className="page-head">
        <h1>{t("dash.title")}</h1>
        <select value={municipality} onChange={(e) => setMunicipality(e.target.value)} data-testid="dash-municipality" aria-label={t("col.municipality")}>
          {(session.user.role === "COORDINATOR" || session.user.municipalities.length > 1) && <option value="">{t("dash.all")}</option>}
          {municipalities.map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}
        </select>
        <span className={live ? "live on" : "live"}>● {t("dash.live")}</span>
        {data && <span className="muted">{t("dash.asOf")} {new Date(data.asOf).toLocaleTimeString()}</span>}
      </header>
      <ErrorBanner error={error} />
      {data && (
        <>
          <div className="tiles">
            <Tile label={t("dash.open")} value={data.openCases} testid="dash-open" to={municipality ? `/cases?municipality=${municipality}` : "/cases"} />
            <Tile label={t("dash.overdue")} value={data.overdueReviews} warn={data.overdueReviews > 0}
              to={`/cases?overdueReview=1${municipality ? `&municipality=${municipality}` : ""}`} />
            <Tile label={t("dash.signals")} value={data.newSignals} to={can(session.user.role, "signals") ? "/signals?status=NEW" : undefined} />
            <Tile label={t("dash.trained")} value={data.trainedStaff} />
            <Tile label={t("dash.stagnating")} value={data.stagnatingGoals} warn={data.stagnatingGoals > 0} testid="dash-stagnating" />
            <Tile label={t("dash.overdueActions")} value={data.overdueActions.reduce((n, x) => n + x.count, 0)} warn={data.overdueActions.length > 0} />
            <Tile label={t("dash.reassess")} value={data.overdueReassessments} warn={data.overdueReassessments > 0} />
            <Tile label={t("dash.informing")} value={data.informingOverdue} warn={data.informingOverdue > 0} />
          </div>
          <div className="phases">
            {phases.map((p) => (
              <div key={p} className="phase">
                <span className="n" data-testid={`dash-phase-${p}`}>{count(data.casesByPhase, p)}</span>
                <PhaseLabel phase={p} />
              </div>
            ))}
          </div>
          <div className="charts">
            <BarChart title={t("dash.byPhase")} tallies={phases.map((p) => ({ key: p, count: count(data.casesByPhase, p) }))} />
            <Doughnut title={t("dash.byRisk")} tallies={data.casesByRiskGroup} />
            <BarChart title={t("dash.byMunicipality")} tallies={data.casesByMunicipality.map((x) => ({ key: names[x.key] ?? x.key, count: x.count }))} raw />
            <Doughnut title={t("dash.byEscalation")} tallies={data.casesByEscalationLevel} />
          </div>
          <ProcessFigures municipality={municipality} />
          <h2>{t("dash.directors")}</h2>
          <table className="load">
            <tbody>
              {data.directors.map((d) => (
                <tr key={d.director.id}>
                  <td>{d.director.name}</td>
                  <td className="bar-cell">
                    <div className="bar"><div className={d.openCases > d.capacity ? "fill over" : "fill"} style={{ width: `${Math.min(100, (100 * d.openCases) / Math.max(d.capacity, 1))}%` }} /></div>
                  </td>
                  <td>{d.openCases} / {d.capacity} {t("dash.capacity")}</td>
                  <td className={d.overdueReviews ? "warn" : "muted"}>{d.overdueReviews} {t(d.overdueReviews === 1 ? "dash.overdueOne" : "dash.overdue").toLowerCase()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function PhaseLabel({ phase }: { phase: string }) {
  const v = useValue();
  return <span className="label">{v(phase)}</span>;
}

// Tile is one figure; with to, it opens the list the figure counts.
function Tile({ label, value, warn, testid, to }: { label: string; value: number; warn?: boolean; testid?: string; to?: string }) {
  const body = (
    <>
      <div className="n" data-testid={testid}>{value}</div>
      <div className="label">{label}</div>
    </>
  );
  return to
    ? <Link to={to} className={warn ? "tile warn" : "tile"}>{body}</Link>
    : <div className={warn ? "tile warn" : "tile"}>{body}</div>;
}

const palette = ["#1f5f99", "#3f8fbf", "#7fb3d5", "#e0a030", "#c0504d", "#6b8e23", "#8064a2", "#4bacc6"];

function useChart(make: (canvas: HTMLCanvasElement) => Chart, deps: unknown[]) {
  const ref = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    chart.current?.destroy();
    chart.current = make(ref.current);
    return () => { chart.current?.destroy(); chart.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return ref;
}

function BarChart({ title, tallies, raw }: { title: string; tallies: Tally[]; raw?: boolean }) {
  const v = useValue();
  const labels = tallies.map((x) => (raw ? x.key : v(x.key)));
  const ref = useChart(
    (c) => new Chart(c, {
      type: "bar",
      data: { labels, datasets: [{ data: tallies.map((x) => x.count), backgroundColor: palette[0] }] },
      options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
    [JSON.stringify(tallies), labels.join()],
  );
  return <figure className="chart"><figcaption>{title}</figcaption><canvas ref={ref} /></figure>;
}

function Doughnut({ title, tallies }: { title: string; tallies: Tally[] }) {
  const v = useValue();
  const labels = tallies.map((x) => v(x.key));
  const ref = useChart(
    (c) => new Chart(c, {
      type: "doughnut",
      data: { labels, datasets: [{ data: tallies.map((x) => x.count), backgroundColor: palette }] },
      options: { animation: false, plugins: { legend: { position: "right" } } },
    }),
    [JSON.stringify(tallies), labels.join()],
  );
  return <figure className="chart"><figcaption>{title}</figcaption><canvas ref={ref} /></figure>;
}

interface PhaseFigures { phase: string; current: number; completed: number; medianDays: number | null; p90Days: number | null }

// ProcessFigures shows how cases moved through the phases over the last
// twelve months: how long they stayed in each (median and 90th percentile)
// and how many were registered, escalated and closed.
function ProcessFigures({ municipality }: { municipality: string }) {
  const t = useT();
  const v = useValue();
  const [figures, setFigures] = useState<{ registered: number; escalated: number; deescalated: number; closed: number; phases: PhaseFigures[];
    levels: { level: string; completed: number; medianDays: number | null; p90Days: number | null }[];
    escalationsPerMonth: { month: string; escalated: number; deescalated: number }[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const to = new Date();
    const from = new Date(to.getTime() - 365 * 24 * 3600 * 1000);
    gql<{ processFigures: NonNullable<typeof figures> }>(
      `query($m: String, $from: DateTime!, $to: DateTime!) { processFigures(municipality: $m, from: $from, to: $to) { registered escalated deescalated closed phases { phase current completed medianDays p90Days }
        levels { level completed medianDays p90Days } escalationsPerMonth { month escalated deescalated } } }`,
      { m: municipality || undefined, from: from.toISOString(), to: to.toISOString() },
    ).then((d) => setFigures(d.processFigures)).catch(setError);
  }, [municipality]);
  const days = (n: number | null) => (n === null ? "—" : n.toFixed(0));
  return (
    <section aria-labelledby="h-process">
      <h2 id="h-process">{t("dash.process")}</h2>
      <ErrorBanner error={error} />
      {figures && (
        <>
          <p>{figures.registered} {t("dash.registered")} · {figures.escalated} {t("dash.escalated")} · {figures.closed} {t("dash.closed")}</p>
          <table className="list" data-testid="process-figures">
            <caption className="sr-only">{t("dash.process")}</caption>
            <thead><tr><th scope="col">{t("col.phase")}</th><th scope="col">{t("dash.now")}</th><th scope="col">{t("dash.completed")}</th><th scope="col">{t("dash.median")}</th><th scope="col">{t("dash.p90")}</th></tr></thead>
            <tbody>{figures.phases.map((p) => <tr key={p.phase}><td>{v(p.phase)}</td><td>{p.current}</td><td>{p.completed}</td><td>{days(p.medianDays)}</td><td>{days(p.p90Days)}</td></tr>)}</tbody>
          </table>
          <table className="list" data-testid="level-figures">
            <caption>{t("dash.timeAtLevel")}</caption>
            <thead><tr><th scope="col">{t("col.escalation")}</th><th scope="col">{t("dash.completed")}</th><th scope="col">{t("dash.median")}</th><th scope="col">{t("dash.p90")}</th></tr></thead>
            <tbody>{figures.levels.map((l) => <tr key={l.level}><td>{v(l.level)}</td><td>{l.completed}</td><td>{days(l.medianDays)}</td><td>{days(l.p90Days)}</td></tr>)}</tbody>
          </table>
          <table className="list" data-testid="escalation-months">
            <caption>{t("dash.perMonth")}</caption>
            <thead><tr><th scope="col">{t("dash.month")}</th><th scope="col">{t("dash.escalated")}</th><th scope="col">{t("dash.deescalated")}</th></tr></thead>
            <tbody>{figures.escalationsPerMonth.filter((m) => m.escalated + m.deescalated > 0).map((m) => (
              <tr key={m.month}><td>{m.month.slice(5)}-{m.month.slice(0, 4)}</td><td>{m.escalated}</td><td>{m.deescalated}</td></tr>))}</tbody>
          </table>
        </>
      )}
    </section>
  );
}
