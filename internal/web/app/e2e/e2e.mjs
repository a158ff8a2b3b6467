// End-to-end test of the web client in a real headless Chromium (Debian's,
// driven by playwright-core). Run by cmd/casusnet's TestWebClient against a
// server with the demo region:
//
//   BASE_URL=http://127.0.0.1:8080 SCREENSHOT_DIR=screenshots node e2e/e2e.mjs
//
// A coordinator advances a case; a second session's dashboard and the case's
// timeline change without reload; the mayor of another municipality sees
// the case nowhere; an analyst expands a network and finds a shortest path.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const base = process.env.BASE_URL ?? "http://127.0.0.1:8080";
const shots = process.env.SCREENSHOT_DIR ?? "screenshots";
mkdirSync(shots, { recursive: true });
const timeout = 20_000;

function fail(msg) {
  throw new Error(msg);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];

async function session(name, user) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "nl-NL" });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`${name}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${name}: ${e.message}`));
  const resp = await page.goto(base + "/");
  const csp = resp.headers()["content-security-policy"] ?? "";
  if (!csp.includes("script-src 'self'") || /script-src[^;]*unsafe-inline/.test(csp)) fail(`weak or missing CSP on /: ${csp}`);
  await page.getByTestId(`signin-${user}`).click();
  await page.getByTestId("who").waitFor();
  return { context, page };
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function phaseCount(page, phase) {
  return Number(await page.getByTestId(`dash-phase-${phase}`).textContent());
}

try {
  // 1. Two coordinator sessions: B watches the dashboard.
  const a = await session("coordinator A", "u-coordinator");
  const b = await session("coordinator B", "u-coordinator");
  await b.page.getByTestId("dash-phase-REGISTERED").waitFor();
  await shot(b.page, "01-dashboard");

  // 2. A opens the case list, filters to Aalsmeer (GM0358), and opens the
  // first case that can move on.
  const listed = (page) => page.locator("table.list[data-loading=false]").waitFor();
  await a.page.getByTestId("nav-cases").click();
  await listed(a.page);
  await a.page.getByTestId("filter-municipality").selectOption("GM0358");
  await a.page.waitForTimeout(200);
  await listed(a.page);
  const movable = a.page.locator("[data-testid^=case-row-]").filter({ hasNotText: /Afgesloten|Nazorg/ }).first();
  await movable.waitFor();
  const reference = (await movable.getAttribute("data-testid")).replace("case-row-", "");
  await shot(a.page, "02-cases");
  await movable.click();
  await a.page.getByTestId("case-phase").waitFor();
  const caseURL = a.page.url();
  const fromPhase = await a.page.getByTestId("case-phase").getAttribute("data-phase");
  const move = a.page.locator("[data-testid^=move-ADVANCE-]").first();
  await move.waitFor();
  const toPhase = (await move.getAttribute("data-testid")).replace("move-ADVANCE-", "");

  // B opens the same case in a second tab, to watch its timeline (the
  // session lives in the tab's sessionStorage, so the tab signs in too).
  const bCase = await b.context.newPage();
  bCase.setDefaultTimeout(timeout);
  await bCase.goto(base + "/");
  await bCase.getByTestId("signin-u-coordinator").click();
  await bCase.getByTestId("who").waitFor();
  await bCase.goto(caseURL);
  await bCase.getByTestId("case-phase").waitFor();
  await bCase.getByTestId("timeline-entry").first().waitFor();
  const entriesBefore = await bCase.getByTestId("timeline-entry").count();
  const fromBefore = await phaseCount(b.page, fromPhase);
  const toBefore = await phaseCount(b.page, toPhase);

  // 3. A advances the case.
  await a.page.getByTestId("move-reason").fill("Volgende fase");
  await move.click();
  await a.page.locator(`[data-testid=case-phase][data-phase=${toPhase}]`).waitFor();
  await shot(a.page, "03-case-advanced");

  // B's dashboard and timeline change without reload.
  await b.page.waitForFunction(
    ([f, t, fb, tb]) => Number(document.querySelector(`[data-testid=dash-phase-${f}]`)?.textContent) === fb - 1 &&
      Number(document.querySelector(`[data-testid=dash-phase-${t}]`)?.textContent) === tb + 1,
    [fromPhase, toPhase, fromBefore, toBefore], { timeout },
  ).catch(() => fail("the second session's dashboard did not change"));
  await shot(b.page, "04-dashboard-live");
  await bCase.waitForFunction((n) => document.querySelectorAll("[data-testid=timeline-entry]").length > n, entriesBefore, { timeout })
    .catch(() => fail("the second session's timeline did not change"));
  await bCase.locator(`[data-testid=case-phase][data-phase=${toPhase}]`).waitFor();
  await shot(bCase, "05-timeline-live");

  // 4. The mayor of Diemen sees the Amstelveen case nowhere.
  const m = await session("mayor", "u-mayor-diemen");
  await shot(m.page, "06-mayor-dashboard");
  await m.page.getByTestId("nav-cases").click();
  await listed(m.page);
  if (await m.page.getByTestId(`case-row-${reference}`).count()) fail(`the mayor of Diemen sees ${reference} in the list`);
  await m.page.getByTestId("filter-search").fill(reference);
  await m.page.waitForTimeout(300);
  await listed(m.page);
  if (await m.page.getByTestId(`case-row-${reference}`).count()) fail(`the mayor of Diemen finds ${reference} by search`);
  await shot(m.page, "07-mayor-cases");
  await m.page.goto(caseURL);
  await m.page.getByTestId("error-banner").waitFor();
  const refusal = await m.page.getByTestId("error-banner").textContent();
  if (!/NOT_FOUND|FORBIDDEN/.test(refusal)) fail(`the mayor's view of ${reference}: ${refusal}`);
  if (await m.page.getByTestId("case-phase").count()) fail("the mayor sees the case's phase");
  if (await m.page.getByTestId("nav-network").count()) fail("a mayor is offered the network explorer");
  await shot(m.page, "08-mayor-case-refused");

  // 5. The analyst expands a network and finds a shortest path.
  const n = await session("analyst", "u-analyst");
  await n.page.getByTestId("nav-network").click();
  await n.page.getByTestId("net-search").fill("Benali");
  await n.page.getByTestId("net-start").first().click();
  await n.page.waitForFunction(() => Number(document.querySelector("[data-testid=net-graph]")?.getAttribute("data-nodes")) > 1, null, { timeout })
    .catch(() => fail("the network did not load"));
  const first = Number(await n.page.getByTestId("net-graph").getAttribute("data-nodes"));
  await n.page.locator("select").filter({ hasText: "1" }).first().selectOption("2");
  await n.page.waitForFunction((k) => Number(document.querySelector("[data-testid=net-graph]")?.getAttribute("data-nodes")) > k, first, { timeout })
    .catch(() => fail("expanding to depth 2 added nobody"));
  await n.page.getByTestId("net-size").check();
  await n.page.getByTestId("net-colour").check();
  const options = await n.page.getByTestId("path-from").locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  if (options.length < 2) fail("fewer than two persons to find a path between");
  await n.page.getByTestId("path-from").selectOption(options[0]);
  await n.page.getByTestId("path-to").selectOption(options[options.length - 1]);
  await n.page.getByTestId("path-find").click();
  await n.page.getByTestId("path-result").waitFor();
  const hops = Number(await n.page.getByTestId("path-result").getAttribute("data-hops"));
  if (!(hops >= 1)) fail(`no path found: ${await n.page.getByTestId("path-result").textContent()}`);
  await n.page.waitForTimeout(500);
  await shot(n.page, "09-network-path");

  // The GraphQL explorer loads from the build, with the session's token.
  await n.page.goto(base + "/explorer.html");
  await n.page.locator(".graphiql-container").waitFor();
  await shot(n.page, "10-explorer");

  if (problems.length) fail(`page errors:\n${problems.join("\n")}`);
  console.log(`e2e: passed (case ${reference}, path of ${hops} hops); screenshots in ${shots}`);
} catch (e) {
  console.error(`e2e: FAILED: ${e.message}`);
  process.exitCode = 1;
  let i = 0;
  for (const c of browser.contexts()) for (const p of c.pages()) await p.screenshot({ path: join(shots, `failed-${++i}.png`), fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
