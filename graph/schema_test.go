package graph_test

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"casusnet/graph"
)

// servedSchema is the schema the server serves, as gqlgen compiled it
// from schema/*.graphqls.
func servedSchema() *ast.Schema { return graph.NewExecutableSchema(graph.Config{}).Schema() }

// TestSchemaIsDescribed fails on any type, field, argument or enum value of
// schema/*.graphqls without a description, so that the API reads well in an
// explorer.
func TestSchemaIsDescribed(t *testing.T) {
	schema := servedSchema()
	var missing []string
	for name, def := range schema.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		if def.Description == "" {
			missing = append(missing, name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if f.Description == "" {
				missing = append(missing, name+"."+f.Name)
			}
			for _, a := range f.Arguments {
				if a.Description == "" {
					missing = append(missing, name+"."+f.Name+"("+a.Name+")")
				}
			}
		}
		for _, v := range def.EnumValues {
			if v.Description == "" {
				missing = append(missing, name+"."+v.Name)
			}
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%d schema elements without a description: %s", len(missing), strings.Join(missing, ", "))
	}
}
