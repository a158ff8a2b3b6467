package server

import (
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"casusnet/graph"
	"casusnet/internal/casus"
)

// TestEveryOperationIsDeclared holds the operations table against the
// schema: every root field of Query, Mutation and Subscription has an
// access-log action and a processing activity of the default register, and
// every entry is a field of the schema.
func TestEveryOperationIsDeclared(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var names []string
	for kind, def := range map[string]*ast.Definition{"Query": schema.Query, "Mutation": schema.Mutation, "Subscription": schema.Subscription} {
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			name := kind + "." + f.Name
			names = append(names, name)
			op, ok := operations[name]
			switch {
			case !ok:
				t.Errorf("%s has no access-log action and processing activity: declare it in operations", name)
			case !slices.ContainsFunc(casus.DefaultRegister, func(a casus.ProcessingActivity) bool { return a.Code == op.activity }):
				t.Errorf("%s serves %q, which is not in the register", name, op.activity)
			case kind != "Mutation" && op.action != casus.AuditRead:
				t.Errorf("%s is a read, not %s", name, op.action)
			}
		}
	}
	for name := range operations {
		if !slices.Contains(names, name) {
			t.Errorf("operations declares %s, which the schema does not have", name)
		}
	}
}
