// Package neo4jtest gives tests a real, empty, migrated Neo4j database.
//
// It connects to NEO4J_URI (default bolt://127.0.0.1:7694, the tests' own
// local Neo4j that `make test` starts, never the one `make run` fills on 7687)
// with NEO4J_USER and NEO4J_PASSWORD. A database that cannot
// be reached fails the test: it never skips. The database is shared, so
// packages that use it must not run their tests in parallel with each other;
// `make test` runs them one package at a time.
package neo4jtest

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/rs/zerolog"

	"casusnet/internal/neo4j"
)

// Config returns the test database's configuration from the environment.
func Config() neo4j.Config {
	get := func(name, def string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return def
	}
	return neo4j.Config{
		URI:      get("NEO4J_URI", "bolt://127.0.0.1:7694"),
		User:     get("NEO4J_USER", "neo4j"),
		Password: get("NEO4J_PASSWORD", "casusnet-dev"),
		Database: os.Getenv("NEO4J_DATABASE"),
	}
}

// Open empties the test database, migrates it, and returns it. The DB is
// closed when the test ends.
func Open(t testing.TB) *neo4j.DB {
	t.Helper()
	Reset(t)
	return Connect(t)
}

// Connect opens another connection to the test database, as a second
// server instance would, without emptying it. It is closed when the test
// ends.
func Connect(t testing.TB) *neo4j.DB {
	t.Helper()
	return ConnectWith(t, Config())
}

// ConnectRouting is Connect through a neo4j:// routing URI, as an instance
// on a cluster connects: the driver fetches a routing table and sends
// reads and writes where it says.
func ConnectRouting(t testing.TB) *neo4j.DB {
	t.Helper()
	cfg := Config()
	if _, rest, ok := strings.Cut(cfg.URI, "://"); ok {
		cfg.URI = "neo4j://" + rest
	}
	return ConnectWith(t, cfg)
}

// ConnectWith is Connect with cfg.
func ConnectWith(t testing.TB, cfg neo4j.Config) *neo4j.DB {
	t.Helper()
	db, err := neo4j.Open(cfg, zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel))
	if err != nil {
		t.Fatalf("open neo4j: %v", err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// Reset deletes every node and relationship of the test database, leaving
// its schema, so that each test starts from a clean state.
func Reset(t testing.TB) {
	t.Helper()
	cfg := Config()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d, err := driver.NewDriverWithContext(cfg.URI, driver.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatalf("neo4j driver: %v", err)
	}
	defer d.Close(ctx)
	if err := d.VerifyConnectivity(ctx); err != nil {
		t.Fatalf("neo4j at %s is not reachable (run the tests with `make test`, which starts it): %v", cfg.URI, err)
	}
	// In batches, in transactions of its own (an auto-commit query), so
	// that a test that wrote a great deal does not exceed the memory of
	// one transaction when the next one empties the database.
	session := d.NewSession(ctx, driver.SessionConfig{DatabaseName: cfg.Database})
	defer session.Close(ctx)
	res, err := session.Run(ctx, "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		t.Fatalf("empty the test database: %v", err)
	}
}

// Count runs a read query that returns one integer, for assertions about
// what a test wrote.
func Count(t testing.TB, cypher string, params map[string]any) int64 {
	t.Helper()
	cfg := Config()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := driver.NewDriverWithContext(cfg.URI, driver.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatalf("neo4j driver: %v", err)
	}
	defer d.Close(ctx)
	res, err := driver.ExecuteQuery(ctx, d, cypher, params, driver.EagerResultTransformer,
		driver.ExecuteQueryWithDatabase(cfg.Database), driver.ExecuteQueryWithReadersRouting())
	if err != nil {
		t.Fatalf("count %q: %v", cypher, err)
	}
	if len(res.Records) != 1 || len(res.Records[0].Values) != 1 {
		t.Fatalf("count %q: want one value, got %d records", cypher, len(res.Records))
	}
	n, ok := res.Records[0].Values[0].(int64)
	if !ok {
		t.Fatalf("count %q: got %T, want an integer", cypher, res.Records[0].Values[0])
	}
	return n
}

// Exec runs a write query outside casusnet, as an intruder with database
// access would: tests use it to tamper with what casusnet wrote.
func Exec(t testing.TB, cypher string) (int, error) {
	t.Helper()
	cfg := Config()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := driver.NewDriverWithContext(cfg.URI, driver.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		return 0, err
	}
	defer d.Close(ctx)
	res, err := driver.ExecuteQuery(ctx, d, cypher, nil, driver.EagerResultTransformer, driver.ExecuteQueryWithDatabase(cfg.Database))
	if err != nil {
		return 0, err
	}
	return len(res.Records), nil
}
