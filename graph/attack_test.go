package graph_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestKnownAttacksAreRefused plays the known GraphQL attacks against the API
// and checks each is refused with a clear error, before it costs anything.
func TestKnownAttacksAreRefused(t *testing.T) {
	a := newAPI(t, accessRegion())
	refused := func(name, query string) {
		t.Helper()
		before := a.db.Queries()
		r := a.do(query, nil, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "INVALID" {
			t.Errorf("%s: not refused: %+v", name, r.Errors)
		}
		if a.db.Queries() != before {
			t.Errorf("%s: reached the database before it was refused", name)
		}
	}
	var aliases strings.Builder
	for i := 0; i < 600; i++ {
		fmt.Fprintf(&aliases, "a%d: municipalities { name } ", i)
	}
	refused("alias overloading", "{ "+aliases.String()+" }")
	refused("field duplication", "{ municipalities { "+strings.Repeat("name ", 600)+"} }")
	deep := "{ cases(first: 1) { edges { node { subjects { groups { members { groups { members { groups { members { groups { members { groups { name } } } } } } } } } } } } } }"
	refused("deep nesting", deep)
	refused("directive overloading", `{ municipalities { name `+strings.Repeat("@include(if: true) ", 50)+` } }`)
	refused("circular fragments", `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`)
	refused("expensive pages", `{ cases(first: 100) { edges { node { subjects { cases { subjects { contacts { to { fullName } } } } } } } } }`)
	refused("page beyond the limit", `{ cases(first: 1000) { totalCount } }`)
	var traversals strings.Builder
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&traversals, "n%d: network(from: [\"x\"], depth: 4) { truncated } ", i)
	}
	refused("many traversals at once", "{ "+traversals.String()+"}")
	var roots strings.Builder
	for i := 0; i < 26; i++ {
		fmt.Fprintf(&roots, "m%d: municipalities { code } ", i)
	}
	refused("many root fields", "{ "+roots.String()+"}")
	refused("introspection outside development", `{ __schema { types { name } } }`)
	if r := a.do(`{ network(from: ["x"], depth: 4, limit: 5000) { truncated } }`, nil, nil); len(r.Errors) > 0 && r.Errors[0].Extensions["code"] == "INVALID" &&
		strings.Contains(r.Errors[0].Message, "complex") {
		t.Errorf("one deep traversal is refused as too complex: %+v", r.Errors)
	}
	if r := a.do(`{ municipalitie { name } }`, nil, nil); len(r.Errors) == 0 || strings.Contains(r.Errors[0].Message, "Did you mean") {
		t.Errorf("a misspelt field is answered with the schema's names: %+v", r.Errors)
	}

	send := func(method, contentType, body string, header ...string) (int, string) {
		req, _ := http.NewRequest(method, a.srv.URL+"/graphql", strings.NewReader(body))
		if method == http.MethodGet {
			req, _ = http.NewRequest(method, a.srv.URL+"/graphql?"+body, nil)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Authorization", "Bearer "+a.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	mutation := `mutation { createPerson(input: {lastName: "CSRF"}) { person { id } } }`
	if code, body := send(http.MethodGet, "", "query="+url.QueryEscape(mutation)); code == http.StatusOK && !strings.Contains(body, "errors") {
		t.Errorf("mutation over GET: %d %s", code, body)
	}
	if code, body := send(http.MethodPost, "application/x-www-form-urlencoded", "query="+url.QueryEscape(mutation)); code < 400 {
		t.Errorf("mutation as a form post: %d %s", code, body)
	}
	if code, body := send(http.MethodPost, "text/plain", `{"query": "`+strings.ReplaceAll(mutation, `"`, `\"`)+`"}`); code < 400 {
		t.Errorf("mutation as text/plain (a simple CORS request): %d %s", code, body)
	}
	batch := `[{"query": "{ municipalities { name } }"}, {"query": "{ municipalities { name } }"}]`
	if code, body := send(http.MethodPost, "application/json", batch); code == http.StatusOK && !strings.Contains(body, "errors") {
		t.Errorf("batched operations: %d %s", code, body)
	} else if strings.Contains(body, "municipalities") || !strings.Contains(body, "INVALID") {
		t.Errorf("a batch's refusal echoes the body or has no code: %s", body)
	}
	huge := `{"query": "{ municipalities { name } }", "variables": {"x": "` + strings.Repeat("x", 2<<20) + `"}}`
	if code, body := send(http.MethodPost, "application/json", huge); code < 400 && (!strings.Contains(body, "errors") || strings.Contains(body, "Aalsmeer")) {
		t.Errorf("2 MiB body: %d %.200s", code, body)
	}
	var n struct{ Persons struct{ TotalCount int } }
	a.must(`{ persons(filter: {name: "CSRF"}) { totalCount } }`, nil, &n)
	if n.Persons.TotalCount != 0 {
		t.Fatal("a refused cross-site mutation created a person")
	}

	// Every response carries the security headers.
	resp, err := http.Get(a.srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'", "Cache-Control": "no-store"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
}
