package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"casusnet/internal/neo4j/neo4jtest"
)

// TestHostileCommandLines runs the commands with unknown, malformed,
// wrongly typed and out-of-range flags: each fails with a message naming
// the problem, and none writes anything.
func TestHostileCommandLines(t *testing.T) {
	neo4jtest.Reset(t)
	if err := run(context.Background(), []string{"casusnet", "migrate"}, env(nil), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	nodes := func() int64 {
		return neo4jtest.Count(t, "MATCH (n) WHERE NOT n:Migration AND NOT n:SchemaVersion RETURN count(n)", nil)
	}
	before := nodes()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"casusnet"}, "usage"},
		{[]string{"casusnet", "format-disk"}, "format-disk"},
		{[]string{"casusnet", "serve", "--no-such-flag"}, "no-such-flag"},
		{[]string{"casusnet", "seed", "--synthetic", "--persons", "many"}, "persons"},
		{[]string{"casusnet", "seed", "--synthetic", "--persons", "-5"}, "persons"},
		{[]string{"casusnet", "seed", "--synthetic", "--persons", "99999999999999999999"}, "persons"},
		{[]string{"casusnet", "seed", "--synthetic", "--persons", "100", "--cases", "1000"}, "cases"},
		{[]string{"casusnet", "seed"}, "--demo"},
		{[]string{"casusnet", "seed", "--synthetic", "--seed", "-1"}, "seed"},
		{[]string{"casusnet", "import"}, "import"},
		{[]string{"casusnet", "import", "--persons", "/nonexistent/persons.csv"}, "persons.csv"},
		{[]string{"casusnet", "import", "--persons", "/dev/zero\x00"}, "open"},
		{[]string{"casusnet", "import", "--persons", "/dev/zero"}, "larger than 100 MB"},
		{[]string{"casusnet", "token", "--role", "EMPEROR", "--sub", "x"}, "EMPEROR"},
		{[]string{"casusnet", "token", "--role", "MAYOR", "--sub", "x", "--municipality", "Amsterdam"}, "Amsterdam"},
		{[]string{"casusnet", "token", "--role", "MAYOR", "--sub", "x", "--ttl", "-1h"}, "ttl"},
		{[]string{"casusnet", "retention", "--retention", "forever"}, "CASUSNET_RETENTION"},
		{[]string{"casusnet", "serve", "--addr", "not an address"}, "addr"},
		{[]string{"casusnet", "serve", "--log-level", "loud"}, "CASUSNET_LOG_LEVEL"},
		{[]string{"casusnet", "audit", "destroy"}, "audit verify"},
		{[]string{"casusnet", "seed", "--demo", strings.Repeat("x", 1<<20)}, ""},
	} {
		var stderr syncBuffer
		ctx, cancel := context.WithCancel(context.Background())
		err := run(ctx, tc.args, env(nil), io.Discard, &stderr)
		cancel()
		name := strings.Join(tc.args, " ")
		if len(name) > 80 {
			name = name[:80] + "…"
		}
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if msg := err.Error() + stderr.String(); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q does not name %q", name, msg, tc.want)
		}
	}
	if after := nodes(); after != before {
		t.Errorf("the refused commands wrote %d nodes", after-before)
	}
}
