// casusnet's web client: sign-in, live dashboard, cases, network explorer.
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { currentSession, finishOIDC, signInAsDemoUser, signInConfig, signOut, startOIDC, type Session, type SignInConfig } from "./api";
import { CasesPage, CaseView } from "./cases";
import { DashboardPage } from "./dashboard";
import { AdvicePage } from "./escalation";
import { LangContext, translate, useT, type Lang } from "./i18n";
import { NetworkPage } from "./network";
import { AuditPage } from "./audit";
import { RegionPage } from "./region";
import { RequestsPage } from "./requests";
import { SignalsPage } from "./signals";
import { WorkPage } from "./work";
import { can, ErrorBanner, Link, navigate, usePath } from "./ui";
import "./style.css";

function App() {
  const [lang, setLangState] = useState<Lang>((localStorage.getItem("casusnet.lang") as Lang) ?? "nl");
  const setLang = (l: Lang) => { localStorage.setItem("casusnet.lang", l); document.documentElement.lang = l; setLangState(l); };
  const [session, setSession] = useState<Session | null>(currentSession());
  return (
    <LangContext.Provider value={{ lang, setLang }}>
      {session ? <Shell session={session} onSignOut={() => { signOut(); setSession(null); navigate("/"); }} /> : <SignIn onSignedIn={setSession} />}
    </LangContext.Provider>
  );
}

function LangSwitch() {
  return (
    <LangContext.Consumer>
      {({ lang, setLang }) => (
        <button className="lang" onClick={() => setLang(lang === "nl" ? "en" : "nl")} data-testid="lang">{lang === "nl" ? "EN" : "NL"}</button>
      )}
    </LangContext.Consumer>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const t = useT();
  const [cfg, setCfg] = useState<SignInConfig | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    signInConfig()
      .then(async (c) => {
        setCfg(c);
        if (c.oidc && location.pathname === "/callback") {
          onSignedIn(await finishOIDC(c.oidc));
          navigate("/");
        }
      })
      .catch(setError);
  }, [onSignedIn]);
  return (
    <main className="signin">
      <header><h1>casusnet</h1><LangSwitch /></header>
      <h2>{t("signin.title")}</h2>
      <ErrorBanner error={error} />
      {cfg?.dev && (
        <>
          <p className="muted">{t("signin.dev")}</p>
          <ul className="users">
            {cfg.users?.map((u) => (
              <li key={u.id}>
                <button data-testid={`signin-${u.id}`} onClick={() => signInAsDemoUser(u).then(onSignedIn).catch(setError)}>
                  <strong>{u.name}</strong><span>{t(`role.${u.role}`)}{u.municipalities.length ? ` · ${u.municipalities.length} ${t(u.municipalities.length === 1 ? "signin.municipality" : "signin.municipalities")}` : ""}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {cfg?.oidc && <button onClick={() => startOIDC(cfg.oidc!).catch(setError)}>{t("signin.oidc")}</button>}
    </main>
  );
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const t = useT();
  const path = usePath();
  const role = session.user.role;
  const home = can(role, "dashboard") ? "dashboard" : can(role, "advice") ? "advice" : can(role, "work") ? "work" : can(role, "signals") ? "signals" : can(role, "audit") ? "audit" : can(role, "requests") ? "requests" : "none";
  let page;
  const caseMatch = /^\/cases\/([^/]+)$/.exec(path);
  if (caseMatch && can(role, "caseView")) page = <CaseView key={caseMatch[1]} id={decodeURIComponent(caseMatch[1])} session={session} />;
  else if (path === "/cases" && can(role, "cases")) page = <CasesPage session={session} />;
  else if (path === "/network" && can(role, "network")) page = <NetworkPage />;
  else if (path === "/signals" && can(role, "signals")) page = <SignalsPage session={session} />;
  else if (path === "/audit" && can(role, "audit")) page = <AuditPage />;
  else if (path === "/region" && can(role, "region")) page = <RegionPage session={session} />;
  else if (home === "dashboard") page = <DashboardPage session={session} />;
  else if (home === "advice") page = <AdvicePage session={session} />;
  else if (home === "work") page = <WorkPage />;
  else if (home === "signals") page = <SignalsPage session={session} />;
  else if (home === "audit") page = <AuditPage />;
  else if (home === "requests") page = <RequestsPage />;
  else page = <p className="muted">{translate("nl", `role.${role}`)}: {t("error.FORBIDDEN")}</p>;
  return (
    <>
      <nav className="top">
        <span className="brand">casusnet</span>
        {can(role, "dashboard") && <Link to="/" testid="nav-dashboard">{t("nav.dashboard")}</Link>}
        {can(role, "advice") && <Link to="/" testid="nav-advice">{t("nav.advice")}</Link>}
        {can(role, "cases") && <Link to="/cases" testid="nav-cases">{t("nav.cases")}</Link>}
        {can(role, "network") && <Link to="/network" testid="nav-network">{t("nav.network")}</Link>}
        {can(role, "signals") && <Link to="/signals" testid="nav-signals">{t("nav.signals")}</Link>}
        {can(role, "work") && <Link to="/" testid="nav-work">{t("nav.work")}</Link>}
        {can(role, "audit") && <Link to="/audit" testid="nav-audit">{t("nav.audit")}</Link>}
        {can(role, "region") && <Link to="/region" testid="nav-region">{t("nav.region")}</Link>}
        {can(role, "requests") && <Link to="/" testid="nav-requests">{t("nav.requests")}</Link>}
        {can(role, "explorer") && <a href="/explorer.html" data-testid="nav-explorer">{t("nav.explorer")}</a>}
        <span className="spacer" />
        <span className="who" data-testid="who">{session.user.name} · {t(`role.${role}`)}</span>
        <LangSwitch />
        <button onClick={onSignOut} data-testid="signout">{t("signout")}</button>
      </nav>
      <main>{page}</main>
    </>
  );
}

createRoot(document.getElementById("root")!).render(<StrictMode><App /></StrictMode>);
