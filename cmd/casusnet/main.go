// Command casusnet serves the casusnet GraphQL API and manages its database.
//
//	casusnet serve           serve HTTP (migrates the schema first)
//	casusnet migrate         bring the Neo4j schema up to date
//	casusnet seed --demo     load the demo region (idempotent)
//
// Configuration comes from the environment (see config.go); flags override it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "casusnet: %v\n", err)
		os.Exit(1)
	}
}
