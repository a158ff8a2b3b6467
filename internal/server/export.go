package server

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"casusnet/graph"
	"casusnet/internal/casus"
	"casusnet/internal/export"
)

// exportNetwork serves GET /export/network and GET /export/paths: the result
// of Query.network or Query.shortestPaths, with the same arguments as query
// parameters, as a file in the format asked for. Every export is written
// to the access log as EXPORT, with the persons and cases it contains,
// before the file leaves.
func exportNetwork(networks casus.NetworkService, audit accessLog) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		q := r.URL.Query()
		format := export.Format(q.Get("format"))
		if !slices.Contains(export.Formats, format) {
			writeAppError(w, casus.Invalid("format", "format must be graphml, i2 or cytoscape"))
			return
		}
		var g *casus.NetworkGraph
		var err error
		what := strings.TrimPrefix(r.URL.Path, "/export/")
		switch what {
		case "network":
			g, err = exportedNetwork(r, networks)
		case "paths":
			g, err = exportedPaths(r, networks)
		default:
			writeAppError(w, casus.Errorf(casus.ENOTFOUND, "nothing to export at %s", r.URL.Path))
			return
		}
		if err != nil {
			writeAppError(w, err)
			return
		}
		// Persons outside the caller's scope leave as level 0: a pseudonym
		// of this file only, and ties to them without their facts.
		g.Conceal(casus.NewPseudonyms())
		var buf bytes.Buffer
		if err := export.Write(&buf, format, g, graph.NodeID); err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Msg("export failed")
			writeAppError(w, err)
			return
		}
		var objects, purpose []string
		for _, n := range g.Nodes {
			if n.Redacted || (n.Kind != casus.NodePerson && n.Kind != casus.NodeCase) {
				continue
			}
			kind := map[casus.NodeKind]string{casus.NodePerson: "Person", casus.NodeCase: "Case"}[n.Kind]
			objects = append(objects, kind+":"+n.ID)
			if n.Kind == casus.NodeCase {
				purpose = append(purpose, n.ID)
			}
		}
		if !logExport(w, r, audit, casus.ActivityNetwork, "export "+what+" "+string(format), objects, purpose) {
			return
		}
		w.Header().Set("Content-Type", format.ContentType())
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="casusnet-%s-%s.%s"`, what, time.Now().UTC().Format("20060102-150405"), format.Extension()))
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	})
}

func exportedNetwork(r *http.Request, networks casus.NetworkService) (*casus.NetworkGraph, error) {
	q := r.URL.Query()
	nq := casus.NetworkQuery{}
	for _, id := range q["from"] {
		key, err := graph.PersonKey(id, "from")
		if err != nil {
			return nil, err
		}
		nq.From = append(nq.From, key)
	}
	var err error
	if nq.Depth, err = intParam(q.Get("depth"), "depth"); err != nil {
		return nil, err
	}
	if nq.Limit, err = intParam(q.Get("limit"), "limit"); err != nil {
		return nil, err
	}
	for _, v := range list(q["relations"]) {
		nq.Relations = append(nq.Relations, casus.Relation(v))
	}
	for _, v := range list(q["networks"]) {
		nq.Networks = append(nq.Networks, casus.Network(v))
	}
	if nq.Since, err = dateParam(q.Get("since"), "since"); err != nil {
		return nil, err
	}
	if nq.Until, err = dateParam(q.Get("until"), "until"); err != nil {
		return nil, err
	}
	nq.Purpose.Question = q.Get("question")
	if c := q.Get("purposeCase"); c != "" {
		if nq.Purpose.CaseID, err = graph.CaseKey(c); err != nil {
			return nil, err
		}
	}
	return networks.Network(r.Context(), nq)
}

func exportedPaths(r *http.Request, networks casus.NetworkService) (*casus.NetworkGraph, error) {
	q := r.URL.Query()
	from, err := graph.PersonKey(q.Get("from"), "from")
	if err != nil {
		return nil, err
	}
	to, err := graph.PersonKey(q.Get("to"), "to")
	if err != nil {
		return nil, err
	}
	maxDepth, err := intParam(q.Get("maxDepth"), "maxDepth")
	if err != nil {
		return nil, err
	}
	var rels []casus.Relation
	for _, v := range list(q["relations"]) {
		rels = append(rels, casus.Relation(v))
	}
	_, g, err := networks.ShortestPaths(r.Context(), from, to, maxDepth, rels)
	return g, err
}

// list reads a parameter given repeatedly or comma-separated.
func list(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func intParam(v, field string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, casus.Invalid(field, "%s must be a whole number", field)
	}
	return n, nil
}

func dateParam(v, field string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return nil, casus.Invalid(field, "%s must be a date like 2026-01-31", field)
	}
	return &t, nil
}
