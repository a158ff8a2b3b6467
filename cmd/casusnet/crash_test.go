package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"casusnet/internal/auth"
	"casusnet/internal/casus"
	"casusnet/internal/neo4j/neo4jtest"
)

// TestMain lets the test binary run casusnet itself, as a child process a
// test can kill: CASUSNET_CHILD_ARGS holds the command line.
func TestMain(m *testing.M) {
	if args := os.Getenv("CASUSNET_CHILD_ARGS"); args != "" {
		if err := run(context.Background(), append([]string{"casusnet"}, strings.Fields(args)...), os.Getenv, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child starts casusnet serve as a process of its own.
func child(t *testing.T, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cfg := neo4jtest.Config()
	cmd.Env = append(os.Environ(), "CASUSNET_CHILD_ARGS=serve --addr "+addr, "NEO4J_URI="+cfg.URI, "NEO4J_USER="+cfg.User,
		"NEO4J_PASSWORD="+cfg.Password, "CASUSNET_DEV=true", "CASUSNET_LOG_LEVEL=error",
		"CASUSNET_USER_LIMIT=100000/100000", "CASUSNET_ADDRESS_LIMIT=100000/100000")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitReady(t, "http://"+addr, make(chan error), &syncBuffer{})
	return cmd
}

// TestCrashLosesNothing kills the server with SIGKILL in the middle of
// writes and starts it again: every write it acknowledged is there; a
// client that retries its unanswered writes with their idempotency keys
// creates nothing twice; the case event log has no gap; and the access
// log's chain verifies.
func TestCrashLosesNothing(t *testing.T) {
	neo4jtest.Reset(t)
	getenv := env(nil)
	if err := run(context.Background(), []string{"casusnet", "seed", "--demo"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	srv := child(t, addr)
	tok, err := auth.IssueDevToken([]byte(auth.DevSigningKey), auth.Identity{Actor: casus.Actor{ID: "u-crash", Name: "Crash", Role: casus.RoleCoordinator}}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	post := func(query string) (map[string]any, error) {
		body, _ := json.Marshal(map[string]any{"query": query})
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var out struct {
			Data   map[string]any
			Errors []any
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return nil, err
		}
		if len(out.Errors) > 0 || out.Data == nil {
			return nil, fmt.Errorf("errors: %v", out.Errors)
		}
		return out.Data, nil
	}
	create := func(key string) string {
		return fmt.Sprintf(`mutation { createPerson(input: {lastName: "Crash %s", idempotencyKey: %q}) { person { id } } }`, key, key)
	}

	var mu sync.Mutex
	acked := map[string]bool{}
	var attempted []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				key := fmt.Sprintf("crash-%d-%d", g, n)
				mu.Lock()
				attempted = append(attempted, key)
				mu.Unlock()
				if _, err := post(create(key)); err == nil {
					mu.Lock()
					acked[key] = true
					mu.Unlock()
				}
			}
		}()
	}
	// Kill once a good number of writes went through (a cold database is
	// slow to start with), while the others are in flight.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d writes acknowledged in a minute", n)
		}
	}
	close(stop)                                // no new writes; those in flight stay in flight
	if err := srv.Process.Kill(); err != nil { // SIGKILL, in the middle of them
		t.Fatal(err)
	}
	_ = srv.Wait()
	wg.Wait()

	srv = child(t, addr)
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	for key := range acked {
		if n := neo4jtest.Count(t, "MATCH (p:Person {lastName: $name}) RETURN count(p)", map[string]any{"name": "Crash " + key}); n != 1 {
			t.Fatalf("acknowledged write %s: %d persons after the restart", key, n)
		}
	}
	for _, key := range attempted { // the client retries whatever it sent
		if _, err := post(create(key)); err != nil {
			t.Fatalf("retry %s: %v", key, err)
		}
	}
	if n := neo4jtest.Count(t, `MATCH (p:Person) WHERE p.lastName STARTS WITH 'Crash ' WITH p.lastName AS name, count(*) AS n WHERE n > 1 RETURN count(name)`, nil); n != 0 {
		t.Fatalf("%d persons created twice", n)
	}
	if n := neo4jtest.Count(t, "MATCH (p:Person) WHERE p.lastName STARTS WITH 'Crash ' RETURN count(p)", nil); n != int64(len(attempted)) {
		t.Fatalf("%d persons for %d requests", n, len(attempted))
	}
	if n := neo4jtest.Count(t, "MATCH (e:CaseEvent) WITH count(e) AS n, max(e.seq) AS top, min(e.seq) AS low RETURN CASE WHEN n = top AND low = 1 THEN 0 ELSE 1 END", nil); n != 0 {
		t.Fatal("the case event log has a gap")
	}
	var verified syncBuffer
	if err := run(context.Background(), []string{"casusnet", "audit", "verify"}, getenv, &verified, io.Discard); err != nil {
		t.Fatalf("access log after the crash: %v", err)
	}
	t.Logf("%d writes acknowledged before the kill, %d sent; %s", len(acked), len(attempted), strings.TrimSpace(verified.String()))
}
