package graph

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"casusnet/graph/model"
	"casusnet/internal/casus"
	"casusnet/internal/gonum"
)

// nodeKinds are the global id kinds of network nodes.
var nodeKinds = map[casus.NodeKind]string{
	casus.NodePerson:       kindPerson,
	casus.NodeCase:         kindCase,
	casus.NodeGroup:        kindGroup,
	casus.NodeOrganisation: kindOrganisation,
}

// NodeID is the global id of the object a network node stands for.
func NodeID(n casus.NodeRef) string { return globalID(nodeKinds[n.Kind], n.ID) }

// PersonKey returns the key of a person's global id given as input field.
func PersonKey(id, field string) (string, error) { return inputKey(kindPerson, id, field) }

// optional returns nil for the empty string.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// exportLinks returns the downloads of the network result being resolved:
// the arguments of the query field it came from, as the export endpoint's
// parameters. Results of other fields have none.
func exportLinks(ctx context.Context) []*model.ExportLink {
	var field *graphql.FieldContext
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if fc.Object == "Query" && (fc.Field.Name == "network" || fc.Field.Name == "shortestPaths") {
			field = fc
			break
		}
	}
	if field == nil {
		return []*model.ExportLink{}
	}
	q := url.Values{}
	for name, v := range field.Args {
		switch v := v.(type) {
		case string:
			q.Set(name, v)
		case *int:
			if v != nil {
				q.Set(name, fmt.Sprint(*v))
			}
		case *time.Time:
			if v != nil {
				q.Set(name, v.Format(time.DateOnly))
			}
		case []string:
			for _, s := range v {
				q.Add(name, s)
			}
		case []casus.Relation:
			for _, s := range v {
				q.Add(name, string(s))
			}
		case []casus.Network:
			for _, s := range v {
				q.Add(name, string(s))
			}
		}
	}
	what := map[string]string{"network": "network", "shortestPaths": "paths"}[field.Field.Name]
	var out []*model.ExportLink
	for _, f := range model.AllExportFormat {
		q.Set("format", strings.ToLower(string(f)))
		out = append(out, &model.ExportLink{Format: f, URL: "/export/" + what + "?" + q.Encode()})
	}
	return out
}

// maxBetweenness is the most persons betweenness is computed for: it is
// exact (Brandes), and took 36 s for 5,000 persons on the development
// machine (internal/gonum's benchmark).
const maxBetweenness = 1500

// subgraph loads the part of the network an analysis runs on.
func (r *Resolver) subgraph(ctx context.Context, scope model.AnalysisScope) (*casus.NetworkGraph, error) {
	from, err := inputKeys(kindPerson, scope.From, "scope.from")
	if err != nil {
		return nil, err
	}
	return r.NetworkService.Subgraph(ctx, casus.AnalysisScope{
		From: from, Depth: deref(scope.Depth), Municipality: deref(scope.Municipality), Limit: deref(scope.Limit),
	})
}

// centrality scores the persons of scope under measure, the first n.
func (r *Resolver) centrality(ctx context.Context, scope model.AnalysisScope, measure model.CentralityMeasure, first int) ([]*model.CentralityScore, error) {
	n := first
	if n < 1 || n > 500 {
		return nil, casus.Invalid("first", "first must be 1 to 500")
	}
	g, err := r.subgraph(ctx, scope)
	if err != nil {
		return nil, err
	}
	if measure == model.CentralityMeasureBetweenness && len(g.Nodes) > maxBetweenness {
		return nil, casus.Invalid("scope", "betweenness is exact and grows with persons × ties: narrow the scope to at most %d persons (this one has %d)", maxBetweenness, len(g.Nodes))
	}
	scores, err := gonum.Centrality(g, gonum.Measure(measure))
	if err != nil {
		return nil, err
	}
	scores = scores[:min(n, len(scores))]
	ids := make([]string, len(scores))
	for i, s := range scores {
		ids[i] = s.ID
	}
	ps, err := persons(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*model.CentralityScore, len(scores))
	for i, s := range scores {
		out[i] = &model.CentralityScore{Person: ps[i], Score: s.Score}
	}
	return out, nil
}

// communities partitions the persons of scope.
func (r *Resolver) communities(ctx context.Context, scope model.AnalysisScope) (*model.CommunityResult, error) {
	g, err := r.subgraph(ctx, scope)
	if err != nil {
		return nil, err
	}
	parts, q := gonum.Communities(g)
	out := &model.CommunityResult{Modularity: q, Truncated: g.Truncated, Communities: []*model.Community{}}
	for _, members := range parts {
		ps, err := persons(ctx, members)
		if err != nil {
			return nil, err
		}
		out.Communities = append(out.Communities, &model.Community{Size: len(ps), Members: ps})
	}
	return out, nil
}
