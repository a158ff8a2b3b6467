// The network explorer: Cytoscape.js over Query.network, shortestPaths,
// centrality and communities.
import { useEffect, useRef, useState } from "react";
import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import { download, gql, saveBlob } from "./api";
import { useT, useValue } from "./i18n";
import { ErrorBanner, Field, fieldError } from "./ui";

interface NetNode { id: string; kind: string; label: string | null; redacted: boolean; depth: number }
interface NetEdge { id: string; relation: string; from: string; to: string; kind: string | null; network: string | null }
interface NetGraph { nodes: NetNode[]; edges: NetEdge[]; truncated: boolean; exports: { format: string; url: string }[] }

const graphFields = `nodes { id kind label redacted depth } edges { id relation from to kind network } truncated exports { format url }`;
const relations = ["RELATIVE", "CONTACT", "MEMBER_OF", "SUBJECT_OF", "PARTNER_IN"];
const communityColours = ["#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#1f77b4"];

export function NetworkPage() {
  const t = useT();
  const v = useValue();
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const [query, setQuery] = useState("");
  // The question the analysis answers: needed when it starts from someone
  // who is no subject of a case the user works on (the server says so).
  const [question, setQuestion] = useState("");
  const [common, setCommon] = useState<string[] | null>(null);
  const [found, setFound] = useState<{ id: string; fullName: string }[]>([]);
  const [starts, setStarts] = useState<string[]>([]);
  const [depth, setDepth] = useState(1);
  const [rels, setRels] = useState<string[]>(relations);
  const [networks, setNetworks] = useState<string[]>(["FORMAL", "INFORMAL"]);
  const [graph, setGraph] = useState<NetGraph | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [from, setFrom] = useState<string>("");
  const [to, setTo] = useState<string>("");
  const [path, setPath] = useState<{ length: number; paths: string[][] } | null>(null);
  const [sizeBy, setSizeBy] = useState(false);
  const [colourBy, setColourBy] = useState(false);
  const [loading, setLoading] = useState(false);

  // A start from the address (?from=<person id>), as the case view links.
  useEffect(() => {
    const p = new URLSearchParams(location.search).get("from");
    if (p) setStarts([p]);
  }, []);

  useEffect(() => {
    if (!container.current) return;
    cy.current = cytoscape({
      container: container.current,
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#1f5f99", width: "data(size)", height: "data(size)", "text-valign": "bottom", color: "#222" } },
        { selector: "node[kind = 'CASE']", style: { shape: "round-rectangle", "background-color": "#e0a030" } },
        { selector: "node[kind = 'GROUP']", style: { shape: "hexagon", "background-color": "#8064a2" } },
        { selector: "node[kind = 'ORGANISATION']", style: { shape: "diamond", "background-color": "#6b8e23" } },
        { selector: "node[?redacted]", style: { "background-color": "#bbb", "border-style": "dashed", "border-width": 2, "border-color": "#777", color: "#777" } },
        ...communityColours.map((colour, i) => ({ selector: `node.k${i}`, style: { "background-color": colour } })),
        { selector: "edge", style: { width: 1.5, "line-color": "#9ab", "curve-style": "bezier" } },
        { selector: "edge[relation = 'RELATIVE']", style: { "line-color": "#c0504d" } },
        { selector: "edge[network = 'FORMAL']", style: { "line-style": "dashed" } },
        { selector: "edge.path", style: { "line-color": "#e00", width: 4, "z-index": 10 } },
        { selector: "node.path", style: { "border-width": 4, "border-color": "#e00" } },
        { selector: ".picked", style: { "border-width": 4, "border-color": "#e0a030" } },
      ],
      wheelSensitivity: 0.3,
    });
    const c = cy.current;
    c.on("tap", "node", (e) => {
      const n = e.target;
      if (n.data("kind") !== "PERSON" || n.data("redacted")) return;
      if ((e.originalEvent as MouseEvent | undefined)?.shiftKey) {
        setFrom((f) => { if (!f) return n.id(); setTo(n.id()); return f; });
        return;
      }
      setStarts((s) => (s.includes(n.id()) ? s : [...s, n.id()]));
    });
    return () => { c.destroy(); cy.current = null; };
  }, []);

  useEffect(() => {
    if (query.trim().length < 2) { setFound([]); return; }
    const h = setTimeout(() => {
      gql<{ persons: { edges: { node: { id: string; fullName: string } }[] } }>(
        `query($name: String!) { persons(first: 10, filter: {name: $name}) { edges { node { id fullName } } } }`, { name: query.trim() })
        .then((d) => setFound(d.persons.edges.map((e) => e.node))).catch(setError);
    }, 250);
    return () => clearTimeout(h);
  }, [query]);

  useEffect(() => {
    if (starts.length === 0) return;
    setError(null);
    setLoading(true);
    gql<{ network: NetGraph }>(
      `query($from: [ID!]!, $depth: Int, $relations: [Relation!], $networks: [Network!], $question: String) { network(from: $from, depth: $depth, relations: $relations, networks: $networks, limit: 500, question: $question) { ${graphFields} } }`,
      { from: starts, depth, relations: rels, networks, question: question.trim() || undefined },
    ).then((d) => setGraph(d.network)).catch(setError).finally(() => setLoading(false));
    // The question is sent with the next expansion, not on every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [starts, depth, rels, networks]);

  // Draw the graph; sizes and colours from gonum's centrality and communities.
  useEffect(() => {
    const c = cy.current;
    if (!c || !graph) return;
    const persons = graph.nodes.filter((n) => n.kind === "PERSON" && !n.redacted).map((n) => n.id);
    const draw = (scores: Map<string, number>, communities: Map<string, number>) => {
      const max = Math.max(1e-9, ...scores.values());
      const els: ElementDefinition[] = [
        ...graph.nodes.map((n) => ({
          data: {
            id: n.id, kind: n.kind, redacted: n.redacted,
            label: n.redacted ? t("net.redacted") : n.label ?? "",
            size: 18 + (scores.has(n.id) ? 30 * (scores.get(n.id)! / max) : 0),
          },
          classes: [n.id === from || n.id === to ? "picked" : "", communities.has(n.id) ? `k${communities.get(n.id)! % communityColours.length}` : ""].join(" ").trim(),
        })),
        ...graph.edges.map((e) => ({ data: { id: e.id, source: e.from, target: e.to, relation: e.relation, network: e.network ?? "" } })),
      ];
      c.elements().remove();
      c.add(els);
      c.layout({ name: "cose", animate: false, nodeRepulsion: () => 8000, idealEdgeLength: () => 60 } as cytoscape.LayoutOptions).run();
    };
    const scope = { from: starts, depth, question: question.trim() || undefined };
    Promise.all([
      sizeBy && persons.length > 1
        ? gql<{ centrality: { person: { id: string }; score: number }[] }>(
            `query($scope: AnalysisScope!) { centrality(scope: $scope, measure: PAGERANK, first: 500) { person { id } score } }`, { scope })
            .then((d) => new Map(d.centrality.map((x) => [x.person.id, x.score])))
        : Promise.resolve(new Map<string, number>()),
      colourBy && persons.length > 1
        ? gql<{ communities: { communities: { members: { id: string }[] }[] } }>(
            `query($scope: AnalysisScope!) { communities(scope: $scope) { communities { members { id } } } }`, { scope })
            .then((d) => new Map(d.communities.communities.flatMap((k, i) => k.members.map((m) => [m.id, i] as [string, number]))))
        : Promise.resolve(new Map<string, number>()),
    ]).then(([s, k]) => draw(s, k)).catch((e) => { setError(e); draw(new Map(), new Map()); });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [graph, sizeBy, colourBy]);

  useEffect(() => {
    cy.current?.nodes().removeClass("picked");
    for (const id of [from, to]) if (id) cy.current?.getElementById(id).addClass("picked");
  }, [from, to, graph]);

  const findPath = async () => {
    setError(null);
    setPath(null);
    cy.current?.elements().removeClass("path");
    try {
      const d = await gql<{ shortestPaths: { length: number; paths: string[][]; graph: NetGraph } }>(
        `query($from: ID!, $to: ID!) { shortestPaths(from: $from, to: $to, maxDepth: 6) { length paths graph { ${graphFields} } } }`, { from, to });
      setPath({ length: d.shortestPaths.length, paths: d.shortestPaths.paths });
      const c = cy.current;
      if (!c || d.shortestPaths.paths.length === 0) return;
      // Show the path's persons and ties, and highlight them.
      const have = new Set(c.nodes().map((n) => n.id()));
      for (const n of d.shortestPaths.graph.nodes) {
        if (!have.has(n.id)) c.add({ data: { id: n.id, kind: n.kind, redacted: n.redacted, label: n.redacted ? t("net.redacted") : n.label ?? "", size: 18 } });
      }
      for (const e of d.shortestPaths.graph.edges) {
        if (c.getElementById(e.id).empty()) c.add({ data: { id: e.id, source: e.from, target: e.to, relation: e.relation, network: e.network ?? "" } });
        c.getElementById(e.id).addClass("path");
      }
      for (const id of d.shortestPaths.paths.flat()) c.getElementById(id).addClass("path");
    } catch (e) {
      setError(e);
    }
  };

  const label = (id: string) => graph?.nodes.find((n) => n.id === id)?.label ?? found.find((p) => p.id === id)?.fullName ?? id;
  const toggle = (list: string[], set: (l: string[]) => void, x: string) => set(list.includes(x) ? list.filter((y) => y !== x) : [...list, x]);
  return (
    <section className="network">
      <header className="page-head"><h1>{t("net.title")}</h1><span className="muted">{t("net.hint")}</span></header>
      <div className="net-controls">
        <Field label={t("net.question")} error={fieldError(error, "question")}>
          <input value={question} onChange={(e) => setQuestion(e.target.value)} data-testid="net-question" />
        </Field>
        <Field label={t("net.search")}>
          <input value={query} onChange={(e) => setQuery(e.target.value)} data-testid="net-search" />
        </Field>
        <ul className="found">
          {found.map((p) => (
            <li key={p.id}>
              <button data-testid="net-start" onClick={() => { setStarts([p.id]); setQuery(""); setFound([]); setPath(null); setFrom(""); setTo(""); }}>{p.fullName}</button>
              <button className="small" data-testid="net-add" onClick={() => setStarts((s) => [...s, p.id])}>+</button>
            </li>
          ))}
        </ul>
        <Field label={t("net.depth")}>
          <select value={depth} onChange={(e) => setDepth(Number(e.target.value))}>{[1, 2, 3].map((d) => <option key={d}>{d}</option>)}</select>
        </Field>
        <fieldset><legend>{t("net.relations")}</legend>
          {relations.map((r) => <label key={r} className="check"><input type="checkbox" checked={rels.includes(r)} onChange={() => toggle(rels, setRels, r)} />{v(r)}</label>)}
        </fieldset>
        <fieldset><legend>{t("net.networks")}</legend>
          <label className="check"><input type="checkbox" checked={networks.includes("FORMAL")} onChange={() => toggle(networks, setNetworks, "FORMAL")} />{t("net.formal")}</label>
          <label className="check"><input type="checkbox" checked={networks.includes("INFORMAL")} onChange={() => toggle(networks, setNetworks, "INFORMAL")} />{t("net.informal")}</label>
        </fieldset>
        <label className="check"><input type="checkbox" checked={sizeBy} onChange={() => setSizeBy(!sizeBy)} data-testid="net-size" />{t("net.size")}</label>
        <label className="check"><input type="checkbox" checked={colourBy} onChange={() => setColourBy(!colourBy)} data-testid="net-colour" />{t("net.colour")}</label>
        <fieldset><legend>{t("net.path")}</legend>
          <Field label={t("net.from")}>
            <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="path-from">
              <option value="" />
              {graph?.nodes.filter((n) => n.kind === "PERSON" && !n.redacted).map((n) => <option key={n.id} value={n.id}>{n.label}</option>)}
            </select>
          </Field>
          <Field label={t("net.to")}>
            <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="path-to">
              <option value="" />
              {graph?.nodes.filter((n) => n.kind === "PERSON" && !n.redacted).map((n) => <option key={n.id} value={n.id}>{n.label}</option>)}
            </select>
          </Field>
          <button disabled={!from || !to || from === to} onClick={findPath} data-testid="path-find">{t("net.path")}</button>
          <button disabled={!from || !to || from === to} data-testid="common-find" onClick={() => {
            setError(null);
            gql<{ commonContacts: { id: string; fullName: string }[] }>(`query($a: ID!, $b: ID!) { commonContacts(a: $a, b: $b) { id fullName } }`, { a: from, b: to })
              .then((d) => setCommon(d.commonContacts.map((p) => p.fullName))).catch(setError);
          }}>{t("net.common")}</button>
          {common && <p data-testid="common-result">{common.length === 0 ? t("net.noCommon") : common.join(", ")}</p>}
          {path && (
            <p data-testid="path-result" data-hops={path.length}>
              {path.paths.length === 0 ? t("net.noPath") : `${label(from)} → ${label(to)}: ${path.length} ${t("net.hops")} (${path.paths.length}×)`}
            </p>
          )}
        </fieldset>
        {graph && (
          <fieldset><legend>{t("net.export")}</legend>
            {graph.exports.filter((x) => x.format !== "CYTOSCAPE").map((x) => (
              <button key={x.format} onClick={() => download(x.url, `casusnet.${x.format.toLowerCase()}`).catch(setError)}>{x.format}</button>
            ))}
            <button onClick={() => { const png = cy.current?.png({ output: "blob", full: true, bg: "#ffffff" }) as Blob | undefined; if (png) saveBlob(png, "casusnet-netwerk.png"); }}>PNG</button>
          </fieldset>
        )}
      </div>
      <ErrorBanner error={error} />
      {loading && <p role="status" className="muted">{t("loading")}</p>}
      <div className="net-graph" ref={container} data-testid="net-graph" data-nodes={graph?.nodes.length ?? 0}
        role="img" aria-label={t("net.graphLabel")} />
      {graph?.truncated && <p className="muted">{t("net.truncated")}</p>}
      <Legend />
      {graph && graph.nodes.length > 0 && <NetworkTable graph={graph} />}
    </section>
  );
}

// Legend says what the graph's colours, shapes and lines mean.
function Legend() {
  const t = useT();
  return (
    <ul className="legend" aria-label={t("net.legend")}>
      <li><span className="swatch person" /> {t("net.lPerson")}</li>
      <li><span className="swatch case" /> {t("net.lCase")}</li>
      <li><span className="swatch group" /> {t("net.lGroup")}</li>
      <li><span className="swatch organisation" /> {t("net.lOrganisation")}</li>
      <li><span className="swatch redacted" /> {t("net.lRedacted")}</li>
      <li><span className="line relative" /> {t("net.lRelative")}</li>
      <li><span className="line formal" /> {t("net.lFormal")}</li>
      <li><span className="line informal" /> {t("net.lInformal")}</li>
    </ul>
  );
}

// NetworkTable is the graph as a table, for a keyboard and a screen reader:
// each tie with both ends and what kind it is.
function NetworkTable({ graph }: { graph: NetGraph }) {
  const t = useT();
  const v = useValue();
  const name = new Map(graph.nodes.map((n) => [n.id, n.redacted ? t("net.redacted") : n.label ?? v(n.kind)]));
  return (
    <details className="net-table">
      <summary>{t("net.asTable")} ({graph.nodes.length} / {graph.edges.length})</summary>
      <table className="list">
        <caption>{t("net.tableCaption")}</caption>
        <thead><tr><th scope="col">{t("net.from")}</th><th scope="col">{t("net.tie")}</th><th scope="col">{t("net.to")}</th></tr></thead>
        <tbody>
          {graph.edges.map((e) => (
            <tr key={e.id}><td>{name.get(e.from)}</td><td>{v(e.kind ?? e.relation)}{e.network ? ` (${v(e.network)})` : ""}</td><td>{name.get(e.to)}</td></tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
