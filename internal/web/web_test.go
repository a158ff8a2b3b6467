package web

import (
	"casusnet/graph"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, h http.Handler, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

func TestHandler(t *testing.T) {
	files := fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><title>casusnet</title>")},
		"explorer.html":      {Data: []byte("<!doctype html><title>explorer</title>")},
		"assets/app-1a2b.js": {Data: []byte("console.log(1)")},
	}
	h := Handler(files, "https://login.example.nl/realms/gemeente")
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/", 200, "<title>casusnet</title>"},
		{"GET", "/cases/Q2FzZTox", 200, "<title>casusnet</title>"}, // a client route
		{"GET", "/callback?code=x&state=y", 200, "<title>casusnet</title>"},
		{"GET", "/explorer.html", 200, "<title>explorer</title>"},
		{"GET", "/assets/app-1a2b.js", 200, "console.log(1)"},
		{"GET", "/assets/missing.js", 404, ""},
		{"GET", "/../../go.mod", 404, ""}, // never outside the client
		{"HEAD", "/", 200, ""},
		{"POST", "/", 405, ""},
	} {
		rec := get(t, h, tc.method, tc.path)
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.body) {
			t.Errorf("%s %s: %d %q, want %d with %q", tc.method, tc.path, rec.Code, rec.Body.String(), tc.status, tc.body)
		}
	}
	rec := get(t, h, "GET", "/")
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self';", "connect-src 'self' https://login.example.nl/realms/gemeente;", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(strings.SplitN(strings.SplitN(csp, "script-src", 2)[1], ";", 2)[0], "unsafe-inline") {
		t.Errorf("policy %q allows inline or evaluated script", csp)
	}
	if cc := get(t, h, "GET", "/assets/app-1a2b.js").Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("hashed asset Cache-Control %q, want immutable", cc)
	}
}

func TestHandlerNotBuilt(t *testing.T) {
	rec := get(t, Handler(fstest.MapFS{".keep": {}}, ""), "GET", "/")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "make web") {
		t.Errorf("unbuilt client: %d %q, want 503 naming make web", rec.Code, rec.Body.String())
	}
}

// operatorOnly are mutations no screen offers, on purpose: none today.
// Every other mutation of the schema is work some role does, so some
// screen must use it.
var operatorOnly = map[string]string{}

// TestEveryMutationHasAScreen lists the schema's mutations against the
// operations the web client sends, and fails on one that no screen uses.
func TestEveryMutationHasAScreen(t *testing.T) {
	used := map[string]bool{}
	files, err := filepath.Glob("app/src/*.ts*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no client sources: %v", err)
	}
	op := regexp.MustCompile(`mutation\([^)]*\)\s*\{\s*(\w+)\(`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range op.FindAllSubmatch(b, -1) {
			used[string(m[1])] = true
		}
	}
	for _, f := range graph.NewExecutableSchema(graph.Config{}).Schema().Mutation.Fields {
		if _, ok := operatorOnly[f.Name]; !ok && !used[f.Name] {
			t.Errorf("no screen of the web client uses mutation %s: give the role that may do it a form, or explain it in operatorOnly", f.Name)
		}
	}
}
