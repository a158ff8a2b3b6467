package server

import (
	"slices"
	"testing"

	"casusnet/graph"
)

// TestEveryMutationHasAnAction holds the access log's action table against
// the schema: every mutation has an entry, and every entry is a mutation.
func TestEveryMutationHasAnAction(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var names []string
	for _, f := range schema.Mutation.Fields {
		names = append(names, f.Name)
		if _, ok := mutationActions[f.Name]; !ok {
			t.Errorf("mutation %s has no access-log action: declare it in mutationActions", f.Name)
		}
	}
	for name := range mutationActions {
		if !slices.Contains(names, name) {
			t.Errorf("mutationActions declares %s, which the schema does not have", name)
		}
	}
}
