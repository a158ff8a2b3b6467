package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"casusnet/internal/neo4j/neo4jtest"
)

// TestWebClient drives the web client in a real headless Chromium (Debian's
// chromium, through playwright-core; internal/web/app/e2e/e2e.mjs): a
// coordinator advances a case's phase and a second session's dashboard and
// case timeline change without reload; a mayor of another municipality sees
// the case nowhere; an analyst finds a shortest path in the network
// explorer. It serves the client built into internal/web/dist (make test
// builds it) and leaves screenshots of each page in
// internal/web/app/screenshots.
func TestWebClient(t *testing.T) {
	app, err := filepath.Abs("../../internal/web/app")
	if err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(app, "..", "dist")
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil {
		t.Fatalf("the web client is not built (run make web): %v", err)
	}
	if _, err := os.Stat(filepath.Join(app, "node_modules", "playwright-core")); err != nil {
		t.Fatalf("the web client's packages are not installed (run make web): %v", err)
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("no Chromium at %s (scripts/test.sh installs Debian's chromium): %v", chromium, err)
	}

	neo4jtest.Reset(t)
	getenv := env(map[string]string{"CASUSNET_WEB_DIR": dist})
	var stderr syncBuffer
	for _, args := range [][]string{{"casusnet", "migrate"}, {"casusnet", "seed", "--demo"}} {
		if err := run(context.Background(), args, getenv, io.Discard, &stderr); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"casusnet", "serve", "--addr", addr}, getenv, io.Discard, &stderr) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	waitReady(t, "http://"+addr, done, &stderr)

	e2e, stop := context.WithTimeout(context.Background(), 4*time.Minute)
	defer stop()
	cmd := exec.CommandContext(e2e, "node", "e2e/e2e.mjs")
	cmd.Dir = app
	cmd.Env = append(os.Environ(), "BASE_URL=http://"+addr, "SCREENSHOT_DIR="+filepath.Join(app, "screenshots"), "CHROMIUM="+chromium)
	out, err := cmd.CombinedOutput()
	t.Logf("e2e:\n%s", out)
	if err != nil {
		t.Fatalf("the end-to-end test failed: %v", err)
	}
}
