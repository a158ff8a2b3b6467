package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBookmarksAcrossInstances writes through one instance and reads
// through another, connected by a neo4j:// routing URI as on a cluster,
// with the bookmark the write answered with, as a client behind a load
// balancer would; bookmarks that are not the database's are refused with
// INVALID.
func TestBookmarksAcrossInstances(t *testing.T) {
	a := newAPI(t, accessRegion())
	b := a.routedInstance()
	post := func(api *api, query string, bookmark string) (*http.Response, response) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query})
		req, _ := http.NewRequest(http.MethodPost, api.srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+api.token)
		if bookmark != "" {
			req.Header.Set("Casusnet-Bookmark", bookmark)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r response
		_ = json.NewDecoder(resp.Body).Decode(&r)
		return resp, r
	}
	resp, r := post(a, `mutation { createPerson(input: {firstName: "Bo", lastName: "Okmark", idempotencyKey: "bm-1"}) { person { id } } }`, "")
	bookmark := resp.Header.Get("Casusnet-Bookmark")
	if len(r.Errors) > 0 || bookmark == "" {
		t.Fatalf("write: %v, bookmark %q", r.Errors, bookmark)
	}
	resp, r = post(b, `{ persons(filter: {name: "Okmark"}) { totalCount } }`, bookmark)
	if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"totalCount":1`) {
		t.Fatalf("read through the other instance with the bookmark: %s %v", r.Data, r.Errors)
	}
	if got := resp.Header.Get("Casusnet-Bookmark"); got != bookmark {
		t.Errorf("a read answered bookmark %q, want the one it was sent %q", got, bookmark)
	}
	for name, bad := range map[string]string{
		"not a bookmark":   "FB:not-a-bookmark",
		"too many":         strings.Repeat("x,", 20),
		"too long":         strings.Repeat("y", 2000),
		"another database": "FB:kcwQ" + strings.Repeat("A", 30) + "kAWQ",
	} {
		_, r := post(b, `{ persons(filter: {name: "Okmark"}) { totalCount } }`, bad)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "INVALID" {
			t.Errorf("%s: %s %+v, want INVALID", name, r.Data, r.Errors)
		}
	}
}

// TestNoDevSignInOutsideDevelopment: a server without demo users issues no
// development tokens, and its sign-in settings say so.
func TestNoDevSignInOutsideDevelopment(t *testing.T) {
	a := newAPI(t, accessRegion())
	resp, err := http.Post(a.srv.URL+"/auth/dev/token", "application/json", strings.NewReader(`{"user":"u-coordinator"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK || strings.Contains(string(body), "token") {
		t.Fatalf("development sign-in outside development: %d %s", resp.StatusCode, body)
	}
	resp, err = http.Get(a.srv.URL + "/auth/config")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"dev":false`) || strings.Contains(string(body), "users") {
		t.Fatalf("/auth/config outside development: %s", body)
	}
}
