package graph

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"casusnet/internal/casus"
)

// TestFieldsOfAnObjectLoadTogether checks that an object's fields, which
// gqlgen resolves one after another (cmd/gqlgen), start their loads
// together: the first field the case resolves starts the load of every
// other field the operation asks of it. Each fetch below finishes only once
// the other has started, so fields that load one after another never
// finish; the deadline turns that into a failure.
func TestFieldsOfAnObjectLoadTogether(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	signalsStarted, measuresStarted := make(chan struct{}), make(chan struct{})
	waitFor := func(ctx context.Context, other chan struct{}) error {
		select {
		case <-other:
			return nil
		case <-ctx.Done():
			return errors.New("the other field's load never started")
		}
	}
	l := &loaders{cache: true}
	l.caseSignals = lazy[[]*casus.Signal]{cache: true, fetch: func(ctx context.Context, ids []string) ([][]*casus.Signal, error) {
		close(signalsStarted)
		return make([][]*casus.Signal, len(ids)), waitFor(ctx, measuresStarted)
	}}
	l.measures = lazy[[]*casus.Measure]{cache: true, fetch: func(ctx context.Context, ids []string) ([][]*casus.Measure, error) {
		close(measuresStarted)
		return make([][]*casus.Measure, len(ids)), waitFor(ctx, signalsStarted)
	}}
	ctx = context.WithValue(ctx, loadersKey{}, l)

	// The operation asks { case { signals measures } }.
	sel := ast.SelectionSet{&ast.Field{Name: "signals", Alias: "signals"}, &ast.Field{Name: "measures", Alias: "measures"}}
	ctx = graphql.WithOperationContext(ctx, &graphql.OperationContext{})
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query", Field: graphql.CollectedField{Field: &ast.Field{Name: "case", SelectionSet: sel}, Selections: sel}})
	field := func(name string) context.Context {
		return graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Case", Field: graphql.CollectedField{Field: &ast.Field{Name: name, Alias: name}}})
	}
	c := &casus.Case{ID: "c1"}
	r := &caseResolver{&Resolver{}}
	if _, err := r.Signals(field("signals"), c); err != nil {
		t.Fatalf("signals: %v", err)
	}
	if _, err := r.Measures(field("measures"), c); err != nil {
		t.Fatalf("measures: %v", err)
	}
}
