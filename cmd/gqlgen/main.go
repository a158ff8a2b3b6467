// Command gqlgen generates graph/ from schema/*.graphqls (`go generate
// ./...`): gqlgen's own generator, configured by gqlgen.yml, with one change
// of casusnet's, inline: the fields of an object are resolved one after
// another instead of on a goroutine each.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
)

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gqlgen:", err)
		os.Exit(1)
	}
}

func run(_ context.Context, _ []string, _ func(string) string, _, _ io.Writer) error {
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		return err
	}
	return api.Generate(cfg, api.AddPlugin(inline{}))
}

// inline makes gqlgen resolve the fields of an object one after another on
// the goroutine that marshals the object. gqlgen starts a goroutine for
// every resolver field of every object, though most of casusnet's resolver
// fields compute (an id, the next phases) or find what the statement of the
// root field already read: on a page of 20 cases that was some 100
// goroutines, each growing its stack, for no wait. The elements of a list
// keep a goroutine each, so a loader still batches a field across a list;
// the fields of one object start their loads together (graph.ahead). The
// root fields of a query keep running concurrently; mutations run one after
// another anyway.
type inline struct{}

func (inline) Name() string { return "inline" }

func (inline) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		switch o.Name {
		case "Query", "Subscription":
		default:
			o.DisableConcurrency = true
		}
	}
	return nil
}
