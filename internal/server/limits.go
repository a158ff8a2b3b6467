package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"casusnet/graph"
	"casusnet/graph/model"
	"casusnet/internal/casus"
)

// Limits on one request, checked before anything touches the database.
const (
	maxBodyBytes  = 1 << 20 // request body
	maxComplexity = 5000    // gqlgen complexity, with lists weighted by their page size
	maxDepth      = 12      // nesting of selections
	maxFields     = 500     // selected fields, aliases and repeats counted
	maxTokens     = 15000   // lexer tokens of the query text
	maxRootFields = 25      // fields at the top of one operation, aliases counted

	listWeight     = 5   // assumed items of a list without paging, for complexity
	analysisWeight = 100 // the unit of an analysis's cost, for complexity
	requestTimeout = 30 * time.Second
)

// pageWeight is the number of items a connection field may return, for
// complexity: its first or last, else the default page.
func pageWeight(first, last *int) int {
	n := casus.DefaultPageSize
	switch {
	case first != nil:
		n = *first
	case last != nil:
		n = *last
	}
	return max(n, 1)
}

// complexity weighs list fields by how many items they may return, so that
// a query asking for 100 cases with their networks costs accordingly.
func complexity() graph.ComplexityRoot {
	var c graph.ComplexityRoot
	c.Query.Cases = func(child int, first *int, _ *string, last *int, _ *string, _ *model.CaseFilter, _ *casus.CaseOrder) int {
		return 1 + child*pageWeight(first, last)
	}
	c.Query.Persons = func(child int, first *int, _ *string, last *int, _ *string, _ *model.PersonFilter) int {
		return 1 + child*pageWeight(first, last)
	}
	c.Query.Signals = func(child int, first *int, _ *string, last *int, _ *string, _ *model.SignalFilter) int {
		return 1 + child*pageWeight(first, last)
	}
	c.Query.Nodes = func(child int, ids []string) int { return 1 + child*max(len(ids), 1) }
	c.Query.Interventions = func(child int, first *int, _ *string, last *int, _ *string, _ *casus.InterventionStatus) int {
		return 1 + child*pageWeight(first, last)
	}
	c.Query.AuditLog = func(child int, first *int, _ *string, last *int, _ *string, _ *model.AuditFilter) int {
		return 1 + child*pageWeight(first, last)
	}
	c.Case.Timeline = func(child int, first *int, _ *string, last *int, _ *string) int {
		return 1 + child*pageWeight(first, last)
	}
	// The analyses cost by what they may touch, not by what they return:
	// a traversal by its depth and node limit, the algorithms over a whole
	// part of the network as a fixed large share of the budget, so that
	// aliases cannot run many at once (one network of depth 4 and 5,000
	// nodes fits; twenty of depth 4 do not).
	c.Query.Network = func(child int, _ []string, depth *int, _ []casus.Relation, _ []casus.Network, _, _ *time.Time, limit *int, _, _ *string) int {
		d, l := 2, 500
		if depth != nil {
			d = max(*depth, 1)
		}
		if limit != nil {
			l = max(*limit, 1)
		}
		return 1 + child + analysisWeight*d*((l+499)/500)
	}
	c.Query.ShortestPaths = func(child int, _, _ string, maxDepth *int, _ []casus.Relation) int {
		d := 6
		if maxDepth != nil {
			d = max(*maxDepth, 1)
		}
		return 1 + child + analysisWeight/2*d
	}
	c.Query.CommonContacts = func(child int, _, _ string) int { return analysisWeight/5 + child*listWeight }
	c.Query.Bridges = func(child int, _ *int, first *int) int { return 5*analysisWeight + child*pageWeight(first, nil) }
	c.Query.PossibleDuplicates = func(child int, _ *float64, first *int) int {
		return 10*analysisWeight + child*pageWeight(first, nil)
	}
	c.Query.Centrality = func(child int, _ model.AnalysisScope, _ model.CentralityMeasure, first *int) int {
		return 10*analysisWeight + child*pageWeight(first, nil)
	}
	c.Query.Communities = func(child int, _ model.AnalysisScope) int { return 10*analysisWeight + child }
	// Lists without paging are short in practice; weigh them as a few items.
	for _, f := range []*func(int) int{&c.Case.Subjects, &c.Case.Interventions, &c.Case.Measures, &c.Case.Signals,
		&c.Person.Cases, &c.Person.Contacts, &c.Person.Relatives, &c.Person.Groups, &c.Group.Members} {
		*f = func(child int) int { return 1 + child*listWeight }
	}
	return c
}

// shapeLimit refuses operations nested too deep or selecting too many
// fields (alias and field-duplication attacks), before they run.
type shapeLimit struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (shapeLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	fields, roots := 0, 0
	var walk func(sel ast.SelectionSet, depth int, seen map[string]bool) *gqlerror.Error
	walk = func(sel ast.SelectionSet, depth int, seen map[string]bool) *gqlerror.Error {
		if depth > maxDepth {
			return limitError("the query is nested deeper than %d levels", maxDepth)
		}
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				if depth == 0 && strings.HasPrefix(s.Name, "__") {
					// Introspection (development only) reads the schema, not
					// data; explorers ask for type chains deeper than any query.
					continue
				}
				fields++
				if depth == 0 {
					roots++
					if roots > maxRootFields {
						return limitError("the operation asks for more than %d fields at its top; send several", maxRootFields)
					}
				}
				if fields > maxFields {
					return limitError("the query selects more than %d fields", maxFields)
				}
				if err := walk(s.SelectionSet, depth+1, seen); err != nil {
					return err
				}
			case *ast.InlineFragment:
				if err := walk(s.SelectionSet, depth, seen); err != nil {
					return err
				}
			case *ast.FragmentSpread:
				// Fragments are expanded where they are spread; a fragment
				// that spreads itself is refused by validation already, and
				// seen guards against any cycle left.
				if seen[s.Name] || s.Definition == nil {
					continue
				}
				seen[s.Name] = true
				err := walk(s.Definition.SelectionSet, depth, seen)
				delete(seen, s.Name)
				if err != nil {
					return err
				}
			}
		}
		return nil
	}
	if oc.Operation == nil {
		return nil
	}
	return walk(oc.Operation.SelectionSet, 0, map[string]bool{})
}

func limitError(format string, args ...any) *gqlerror.Error {
	e := gqlerror.Errorf(format, args...)
	e.Extensions = map[string]any{"code": casus.EINVALID}
	return e
}

// secure sets the security headers of every response and bounds the body.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cache-Control", "no-store")
		// Nothing may load anything, but the web client's pages, which set
		// their own policy.
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		if r.Header.Get("Upgrade") == "" {
			// Every request but a long-lived websocket has a deadline.
			ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
			defer cancel()
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}
