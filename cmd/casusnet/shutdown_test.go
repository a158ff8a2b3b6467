package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"casusnet/internal/auth"
	"casusnet/internal/casus"
	"casusnet/internal/load"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
	"casusnet/internal/synthetic"
)

// TestShutdownTellsWebsocketsToReconnect stops a serving casusnet while a
// subscription is open: the client gets close code 1012 (service restart),
// not a normal closure or a completed subscription, and run returns.
func TestShutdownTellsWebsocketsToReconnect(t *testing.T) {
	neo4jtest.Reset(t)
	getenv := env(nil)
	var stderr syncBuffer
	if err := run(context.Background(), []string{"casusnet", "migrate"}, getenv, io.Discard, &stderr); err != nil {
		t.Fatalf("migrate: %v\n%s", err, stderr.String())
	}
	addr, cancel, done := serving(t, getenv, &stderr)
	defer cancel()

	tok, err := auth.IssueDevToken([]byte(auth.DevSigningKey), auth.Identity{Actor: casus.Actor{ID: "u", Role: casus.RoleCoordinator}}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.Dial("ws://"+addr+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + tok}})
	// A dashboard stream answers at once with the figures as they are: its
	// first message says the subscription runs.
	_ = conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": "subscription { dashboard { openCases } }"}})
	var ack map[string]any
	if err := conn.ReadJSON(&ack); err != nil || ack["type"] != "connection_ack" {
		t.Fatalf("init: %v %v", ack, err)
	}
	var first map[string]any
	if err := conn.ReadJSON(&first); err != nil || first["type"] != "next" {
		t.Fatalf("the subscription did not start: %v %v", first, err)
	}

	cancel()
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		var m map[string]any
		err := conn.ReadJSON(&m)
		if err == nil {
			if m["type"] == "complete" {
				t.Fatalf("the subscription was completed instead of the client told to reconnect: %v", m)
			}
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != 1012 {
			t.Fatalf("connection ended with %v, want close code 1012", err)
		}
		break
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after the shutdown")
	}
}

// TestSeedSynthetic loads a small synthetic region twice: the persons,
// ties and cases are there, and loading again adds nothing.
func TestSeedSynthetic(t *testing.T) {
	neo4jtest.Reset(t)
	getenv := env(nil)
	for range 2 {
		var out, stderr syncBuffer
		if err := run(context.Background(), []string{"casusnet", "seed", "--synthetic", "--persons", "1500", "--seed", "3"}, getenv, &out, &stderr); err != nil {
			t.Fatalf("seed: %v\n%s", err, stderr.String())
		}
	}
	if n := neo4jtest.Count(t, "MATCH (p:Person) WHERE p.id STARTS WITH 'syn-p-' RETURN count(p)", nil); n != 1500 {
		t.Fatalf("%d synthetic persons, want 1500", n)
	}
	want := 0
	for d := range synthetic.Region(synthetic.Options{Seed: 3, Persons: 1500}) {
		want += len(d.Contacts)
	}
	if n := neo4jtest.Count(t, "MATCH (:Person)-[r:CONTACT]->(:Person) RETURN count(r)", nil); n != int64(want) {
		t.Fatalf("%d contacts, want the generator's %d once", n, want)
	}
	if n := neo4jtest.Count(t, "MATCH (c:Case) WHERE c.id STARTS WITH 'syn-case-' RETURN count(c)", nil); n != 3 {
		t.Fatalf("%d synthetic cases, want 3", n)
	}
	if err := run(context.Background(), []string{"casusnet", "seed", "--synthetic", "--persons", "0"}, getenv, io.Discard, io.Discard); err == nil {
		t.Fatal("--persons 0 accepted")
	}
}

// TestRetentionCommand runs retention on the demo region with a period that
// reaches no case, then with one that reaches every closed case: the dry
// run removes nothing, the real run writes what it removed to the access
// log, whose chain still holds.
func TestRetentionCommand(t *testing.T) {
	neo4jtest.Reset(t)
	getenv := env(nil)
	if err := run(context.Background(), []string{"casusnet", "seed", "--demo"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	closed := neo4jtest.Count(t, "MATCH (c:Case {phase: 'CLOSED'}) RETURN count(c)", nil)
	if closed == 0 {
		t.Fatal("the demo region has no closed case to test with")
	}
	var out syncBuffer
	if err := run(context.Background(), []string{"casusnet", "retention", "--retention", "1d", "--dry-run"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("would remove %d cases", closed)) {
		t.Fatalf("dry run printed %q", out.String())
	}
	if n := neo4jtest.Count(t, "MATCH (c:Case {phase: 'CLOSED'}) RETURN count(c)", nil); n != closed {
		t.Fatal("the dry run removed cases")
	}
	out = syncBuffer{}
	if err := run(context.Background(), []string{"casusnet", "retention", "--retention", "1d"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := neo4jtest.Count(t, "MATCH (c:Case {phase: 'CLOSED'}) RETURN count(c)", nil); n != 0 {
		t.Fatalf("%d closed cases left: %s", n, out.String())
	}
	if n := neo4jtest.Count(t, "MATCH (a:AuditEntry {action: 'DELETE', userId: 'system:retention'}) RETURN count(a)", nil); n == 0 {
		t.Fatal("the removal is not in the access log")
	}
	var verified syncBuffer
	if err := run(context.Background(), []string{"casusnet", "audit", "verify"}, getenv, &verified, io.Discard); err != nil {
		t.Fatalf("audit verify: %v", err)
	}
	if err := run(context.Background(), []string{"casusnet", "retention", "--retention", "5x"}, getenv, io.Discard, io.Discard); err == nil {
		t.Fatal("--retention 5x accepted")
	}
	if err := run(context.Background(), []string{"casusnet", "retention", "--retention", "5y", "--log-retention", "1y"}, getenv, io.Discard, io.Discard); err == nil {
		t.Fatal("an access log kept shorter than the data: accepted")
	}
	// The access log's own retention: entries older than it go, the chain
	// still verifies from the checkpoint, and the export still works.
	if _, err := neo4jtest.Exec(t, "MATCH (a:AuditEntry) SET a.at = datetime() - duration({days: 30})"); err != nil {
		t.Fatal(err) // these entries no longer match their hashes, but they are the ones the retention removes
	}
	log := neo4j.NewAuditLog(neo4jtest.Connect(t))
	logCtx, stopLog := context.WithCancel(context.Background())
	logDone := make(chan struct{})
	go func() { defer close(logDone); log.Run(logCtx) }()
	if err := log.Append(context.Background(), &casus.AuditEntry{At: time.Now(), Action: casus.AuditRead,
		Outcome: casus.OutcomeSuccess, UserID: "u-new", Objects: []string{"Person:p-01"}}); err != nil {
		t.Fatal(err)
	}
	stopLog()
	<-logDone
	out = syncBuffer{}
	if err := run(context.Background(), []string{"casusnet", "retention", "--retention", "1d", "--log-retention", "7d"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "access log entries written before") || strings.Contains(out.String(), "removed 0 (the chain") {
		t.Fatalf("the log's retention printed %q", out.String())
	}
	verified = syncBuffer{}
	if err := run(context.Background(), []string{"casusnet", "audit", "verify"}, getenv, &verified, io.Discard); err != nil {
		t.Fatalf("audit verify after the log's retention: %v", err)
	}
	if err := run(context.Background(), []string{"casusnet", "audit", "export", "--format", "ldv"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatalf("audit export after the log's retention: %v", err)
	}
}

// TestImportCommand imports a region from CSV: a file with one bad line
// imports nothing and names the line; the corrected files import
// everything, logged; a dry run writes nothing.
func TestImportCommand(t *testing.T) {
	neo4jtest.Reset(t)
	getenv := env(nil)
	if err := run(context.Background(), []string{"casusnet", "seed", "--demo"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		path := dir + "/" + name
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	persons := write("persons.csv", "id,first_name,last_name,birth_date,municipality,aliases\nimp-1,Sem,de Import,2004-02-02,GM0358,\nimp-2,Noor,de Import,,GM0358,\n")
	relations := write("relations.csv", "from,to,type,kind,network,since,source,confidence\nimp-1,imp-2,RELATIVE,SIBLING,,,,\n")
	bad := write("cases-bad.csv", "id,reference,municipality,subjects,risk_groups,ideology,risk_level,phase,escalation_level,summary,opened_at\n"+
		"imp-c1,IM-2020-0001,GM0358,imp-1,RADICALISING,JIHADIST,HIGH,EXECUTION,LOCAL,Zorgen,2020-03-01\n"+
		"imp-c2,IM-2020-0002,GM0358,imp-9,RADICALISING,JIHADIST,HIGH,EXECUTION,LOCAL,Zorgen,2020-03-01\n")
	good := write("cases.csv", "id,reference,municipality,subjects,risk_groups,ideology,risk_level,phase,escalation_level,summary,opened_at\n"+
		"imp-c1,IM-2020-0001,GM0358,imp-1,RADICALISING,JIHADIST,HIGH,EXECUTION,LOCAL,Zorgen,2020-03-01\n")
	imported := func() int64 {
		return neo4jtest.Count(t, "MATCH (n:Person|Case) WHERE n.id STARTS WITH 'imp-' RETURN count(n)", nil)
	}
	var out syncBuffer
	err := run(context.Background(), []string{"casusnet", "import", "--persons", persons, "--relations", relations, "--cases", bad}, getenv, &out, io.Discard)
	if err == nil || !strings.Contains(out.String(), "cases.csv:3: subject \"imp-9\" is no person") || imported() != 0 {
		t.Fatalf("bad import: %v, printed %q, %d imported", err, out.String(), imported())
	}
	if err := run(context.Background(), []string{"casusnet", "import", "--persons", persons, "--cases", good, "--dry-run"}, getenv, io.Discard, io.Discard); err != nil || imported() != 0 {
		t.Fatalf("dry run: %v, %d imported", err, imported())
	}
	out = syncBuffer{}
	if err := run(context.Background(), []string{"casusnet", "import", "--persons", persons, "--relations", relations, "--cases", good}, getenv, &out, io.Discard); err != nil {
		t.Fatalf("import: %v %s", err, out.String())
	}
	if n := imported(); n != 3 || !strings.Contains(out.String(), "imported 2 persons, 1 family ties, 0 contacts, 1 cases") {
		t.Fatalf("%d imported: %s", n, out.String())
	}
	if n := neo4jtest.Count(t, "MATCH (a:AuditEntry {userId: 'system:import', action: 'CREATE'}) RETURN count(a)", nil); n != 1 {
		t.Fatalf("%d import entries in the access log", n)
	}
}

// TestTracing serves with CASUSNET_OTLP_ENDPOINT pointing at a fake
// collector: a request's span, named by its route, reaches it by the time
// the server has stopped.
func TestTracing(t *testing.T) {
	neo4jtest.Reset(t)
	var mu sync.Mutex
	var bodies [][]byte
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
	}))
	defer collector.Close()
	getenv := env(map[string]string{"CASUSNET_OTLP_ENDPOINT": collector.URL})
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr syncBuffer
	go func() { done <- run(ctx, []string{"casusnet", "serve", "--addr", addr}, getenv, io.Discard, &stderr) }()
	waitReady(t, "http://"+addr, done, &stderr)
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	found := false
	for _, b := range bodies {
		found = found || bytes.Contains(b, []byte("GET /healthz"))
	}
	if !found {
		t.Fatalf("no span for GET /healthz among %d exports", len(bodies))
	}
}

// TestShutdownLogsWhatStreamsDelivered stops a serving casusnet right after
// a subscription delivered an event: run returns only after the stream has
// written what it delivered to the access log.
func TestShutdownLogsWhatStreamsDelivered(t *testing.T) {
	neo4jtest.Reset(t)
	getenv := env(nil)
	var stderr syncBuffer
	for _, args := range [][]string{{"casusnet", "migrate"}, {"casusnet", "seed", "--demo"}} {
		if err := run(context.Background(), args, getenv, io.Discard, &stderr); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
	}
	db := neo4jtest.Connect(t)
	head, err := neo4j.NewEventService(db).LastEventSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	addr, cancel, done := serving(t, getenv, &stderr)
	defer cancel()

	user := casus.Actor{ID: "u-shutdown", Name: "Stopper", Role: casus.RoleCoordinator}
	c := &load.Client{URL: "http://" + addr + "/graphql", Token: load.Token(user)}
	caseID := openCase(context.Background(), t, c)
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.Dial("ws://"+addr+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + c.Token}})
	// From the log's head as it was: the event below reaches the stream
	// however soon it attaches.
	cursor := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "event:%d", head))
	_ = conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query": "subscription Follow($after: String) { caseEvents(after: $after) { sequence case { id } } }", "variables": map[string]any{"after": cursor}}})
	if err := c.Do(context.Background(), `mutation($id: ID!) { scheduleReview(input: {case: $id, on: "2099-01-01", reason: "shutdown test"}) { case { id } } }`,
		map[string]any{"id": caseID}, nil); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	for {
		var m map[string]any
		if err := conn.ReadJSON(&m); err != nil {
			t.Fatalf("no event before the shutdown: %v", err)
		}
		if m["type"] == "next" {
			break
		}
	}

	stopping := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("run did not return after the shutdown")
	}
	t.Logf("run returned %v after the signal", time.Since(stopping).Round(time.Millisecond))
	auditor := casus.WithActor(context.Background(), casus.Actor{ID: "u-auditor", Role: casus.RoleAuditor})
	first := 100
	page, err := neo4j.NewAuditLog(db).Entries(auditor, casus.AuditFilter{UserID: user.ID}, casus.Page{First: &first})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Edges {
		if e.Entry.Operation == "subscription Follow" && len(e.Entry.Objects) > 0 {
			return
		}
	}
	t.Fatalf("the delivered event is not in the access log after the shutdown: %d entries of the user", len(page.Edges))
}

// serving runs `casusnet serve` on a free address until cancel; done
// receives what run returned.
func serving(t *testing.T, getenv func(string) string, stderr *syncBuffer) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"casusnet", "serve", "--addr", addr}, getenv, io.Discard, stderr) }()
	waitReady(t, "http://"+addr, done, stderr)
	return addr, cancel, done
}
