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
