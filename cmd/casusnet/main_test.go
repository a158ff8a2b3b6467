package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"casusnet/internal/neo4j/neo4jtest"
)

// env is the test's environment: the test database, development mode.
func env(extra map[string]string) func(string) string {
	cfg := neo4jtest.Config()
	vals := map[string]string{
		"NEO4J_URI":          cfg.URI,
		"NEO4J_USER":         cfg.User,
		"NEO4J_PASSWORD":     cfg.Password,
		"NEO4J_DATABASE":     cfg.Database,
		"CASUSNET_DEV":       "true",
		"CASUSNET_LOG_LEVEL": "warn",
	}
	for k, v := range extra {
		vals[k] = v
	}
	return func(k string) string { return vals[k] }
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// coordinatorToken is a development token of a coordinator, made by the
// token command as a user would.
func coordinatorToken(t *testing.T) string {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), []string{"casusnet", "token", "--sub", "u-coord", "--name", "C. Coördinator",
		"--role", "COORDINATOR", "--ttl", "1h"}, env(nil), &out, io.Discard)
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	return strings.TrimSpace(out.String())
}

var testToken string

func post(t *testing.T, url, query string, vars map[string]any) gqlResponse {
	t.Helper()
	if testToken == "" {
		testToken = coordinatorToken(t)
	}
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("response has no X-Request-Id")
	}
	return out
}

// TestServeEndToEnd starts the server through run against the real Neo4j,
// waits until it is ready, and does a query and a mutation over HTTP.
func TestServeEndToEnd(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	neo4jtest.Reset(t)
	getenv := env(nil)
	var stderr syncBuffer
	if err := run(context.Background(), []string{"casusnet", "seed", "--demo"}, getenv, io.Discard, &stderr); err != nil {
		t.Fatalf("seed: %v\n%s", err, stderr.String())
	}

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stdout syncBuffer
	go func() { done <- run(ctx, []string{"casusnet", "serve", "--addr", addr}, getenv, &stdout, &stderr) }()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run returned %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("run did not return after cancel")
		}
	}()

	base := "http://" + addr
	waitReady(t, base, done, &stderr)

	url := base + "/graphql"
	res := post(t, url, `{ municipalities { id code name inhabitants } }`, nil)
	if len(res.Errors) > 0 {
		t.Fatalf("municipalities: %+v", res.Errors)
	}
	var ms struct {
		Municipalities []struct{ ID, Code, Name string } `json:"municipalities"`
	}
	_ = json.Unmarshal(res.Data, &ms)
	if len(ms.Municipalities) != 6 {
		t.Fatalf("municipalities = %d, want the 5 of Amstelland and Amsterdam", len(ms.Municipalities))
	}

	res = post(t, url, `{ persons(first: 1, filter: {municipality: "GM0437"}) { edges { node { id } } } }`, nil)
	var persons struct {
		Persons struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	_ = json.Unmarshal(res.Data, &persons)
	if len(res.Errors) > 0 || len(persons.Persons.Edges) != 1 {
		t.Fatalf("persons of Ouder-Amstel: %s %+v", res.Data, res.Errors)
	}
	subject := persons.Persons.Edges[0].Node.ID

	res = post(t, url, `mutation($in: OpenCaseInput!) {
		openCase(input: $in) { case { id reference phase nextPhases municipality { code name } version } }
	}`, map[string]any{"in": map[string]any{
		"municipality": "GM0437", "subjects": []string{subject}, "summary": "Broer van uitreiziger zoekt contact met ronselaar.",
		"riskGroups": []string{"FAMILY_OF_TRAVELLER"}, "ideology": "JIHADIST", "riskLevel": "HIGH",
		"idempotencyKey": "e2e-1",
	}})
	if len(res.Errors) > 0 {
		t.Fatalf("openCase: %+v", res.Errors)
	}
	var opened struct {
		OpenCase struct {
			Case struct {
				ID, Reference, Phase string
				NextPhases           []string
				Municipality         struct{ Code, Name string }
			}
		}
	}
	_ = json.Unmarshal(res.Data, &opened)
	c := opened.OpenCase.Case
	if c.Phase != "REGISTERED" || c.Municipality.Name != "Ouder-Amstel" || strings.Join(c.NextPhases, ",") != "ASSESSMENT,CLOSED" {
		t.Fatalf("opened case = %+v", c)
	}

	res = post(t, url, `query($id: ID!) { node(id: $id) { id ... on Case { reference } } }`, map[string]any{"id": c.ID})
	if len(res.Errors) > 0 || !strings.Contains(string(res.Data), c.Reference) {
		t.Fatalf("node(%s) = %s %+v", c.ID, res.Data, res.Errors)
	}

	res = post(t, url, `{ cases(first: 3, filter: {municipality: "GM0437"}) { totalCount edges { node { reference } } pageInfo { hasNextPage endCursor } } }`, nil)
	if len(res.Errors) > 0 || !strings.Contains(string(res.Data), c.Reference) {
		t.Fatalf("cases = %s %+v", res.Data, res.Errors)
	}

	// Bad input: a clear error with a stable code and the field, no 500.
	res = post(t, url, `mutation($p: ID!) { openCase(input: {municipality: "GM0437", subjects: [$p], summary: "", riskGroups: [RADICALISING], ideology: OTHER, riskLevel: LOW}) { case { id } } }`, map[string]any{"p": subject})
	if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != "INVALID" || res.Errors[0].Extensions["field"] != "summary" {
		t.Fatalf("empty summary: %+v", res.Errors)
	}
	res = post(t, url, `{ case(id: "bm9wZQ") { id } }`, nil)
	if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Fatalf("unknown case: %+v", res.Errors)
	}
	res = post(t, url, `{ cases(first: 1000) { totalCount } }`, nil)
	if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != "INVALID" {
		t.Fatalf("oversized page: %+v", res.Errors)
	}
	res = post(t, url, `{ nope }`, nil)
	if len(res.Errors) == 0 || res.Errors[0].Extensions["code"] != "INVALID" {
		t.Fatalf("unknown field: %+v", res.Errors)
	}

	// Without a token: 401 and UNAUTHENTICATED, before anything is read.
	anon, err := http.Post(url, "application/json", strings.NewReader(`{"query":"{ cases { totalCount } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	anonBody, _ := io.ReadAll(anon.Body)
	anon.Body.Close()
	if anon.StatusCode != http.StatusUnauthorized || !strings.Contains(string(anonBody), `"UNAUTHENTICATED"`) {
		t.Fatalf("no token: %d %s", anon.StatusCode, anonBody)
	}

	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	// What was read and written is in the access log, and its chain holds.
	var verified bytes.Buffer
	if err := run(context.Background(), []string{"casusnet", "audit", "verify"}, getenv, &verified, &stderr); err != nil {
		t.Fatalf("audit verify: %v", err)
	}
	if !strings.Contains(verified.String(), "access log intact") || strings.Contains(verified.String(), ": 0 entries") {
		t.Fatalf("audit verify printed %q", verified.String())
	}
	checkLDVExport(t, getenv)
	if !strings.Contains(stdout.String(), "casusnet serves http://") {
		t.Errorf("serve did not print its URL: %q", stdout.String())
	}
}

func waitReady(t *testing.T, base string, done <-chan error, stderr *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("run ended early: %v\n%s", err, stderr.String())
		default:
		}
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("not ready after 30 s\n%s", stderr.String())
}

// TestReadyzNamesTheReason serves against a Neo4j that is not there: the
// process is alive, but not ready, and says why.
func TestReadyzNamesTheReason(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	dead := freeAddr(t) // nothing listens there
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"casusnet", "serve", "--addr", addr},
			env(map[string]string{"NEO4J_URI": "bolt://" + dead}), io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	var status int
	var body string
	for i := 0; i < 100; i++ {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			status, body = resp.StatusCode, string(b)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "reason") {
		t.Fatalf("readyz = %d %s, want 503 with a reason", status, body)
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz while Neo4j is down: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestBadConfigurationFailsAtStart(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad dev flag", map[string]string{"CASUSNET_DEV": "maybe"}, nil, "CASUSNET_DEV"},
		{"bad log level", map[string]string{"CASUSNET_LOG_LEVEL": "loud"}, nil, "CASUSNET_LOG_LEVEL"},
		{"bad address", map[string]string{"CASUSNET_ADDR": "8080"}, nil, "CASUSNET_ADDR"},
		{"bad port", map[string]string{"CASUSNET_ADDR": ":99999"}, nil, "CASUSNET_ADDR"},
		{"bad uri", map[string]string{"NEO4J_URI": "http://localhost:7474"}, nil, "NEO4J_URI"},
		{"bad origin", map[string]string{"CASUSNET_ALLOWED_ORIGINS": "casus.example.nl"}, nil, "CASUSNET_ALLOWED_ORIGINS"},
		{"no password outside dev", map[string]string{"CASUSNET_DEV": "false", "NEO4J_PASSWORD": ""}, nil, "NEO4J_PASSWORD"},
		{"flag overrides env", map[string]string{"CASUSNET_ADDR": ":8080"}, []string{"--addr", "nonsense"}, "CASUSNET_ADDR"},
		{"unknown flag", nil, []string{"--colour"}, "flag provided but not defined"},
		{"no issuer outside dev", map[string]string{"CASUSNET_DEV": "false", "NEO4J_PASSWORD": "x"}, nil, "CASUSNET_OIDC_ISSUER"},
		{"bad user limit", map[string]string{"CASUSNET_USER_LIMIT": "20"}, nil, "CASUSNET_USER_LIMIT"},
		{"zero address limit", map[string]string{"CASUSNET_ADDRESS_LIMIT": "0/10"}, nil, "CASUSNET_ADDRESS_LIMIT"},
		{"no pseudonym key outside dev", map[string]string{"CASUSNET_DEV": "false", "NEO4J_PASSWORD": "x", "CASUSNET_OIDC_ISSUER": "https://id.example.nl"}, nil, "CASUSNET_PSEUDONYM_KEY"},
		{"short pseudonym key", map[string]string{"CASUSNET_PSEUDONYM_KEY": "short"}, nil, "CASUSNET_PSEUDONYM_KEY"},
		{"missing register", map[string]string{"CASUSNET_REGISTER": "/nonexistent/register.json"}, nil, "CASUSNET_REGISTER"},
		{"dev key outside dev", map[string]string{"CASUSNET_DEV": "false", "NEO4J_PASSWORD": "x", "CASUSNET_OIDC_ISSUER": "https://id.example.nl", "CASUSNET_DEV_SIGNING_KEY": "k"}, nil, "CASUSNET_DEV_SIGNING_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			args := append([]string{"casusnet", "serve"}, tt.args...)
			err := run(context.Background(), args, env(tt.env), io.Discard, &stderr)
			if err == nil || !strings.Contains(err.Error()+stderr.String(), tt.want) {
				t.Fatalf("err = %v, want one naming %s", err, tt.want)
			}
		})
	}
	for _, args := range [][]string{{"--role", "COORDINATOR"}, {"--sub", "x", "--role", "KING"}, {"--sub", "x", "--role", "MAYOR", "--ttl", "-1h"}} {
		if err := run(context.Background(), append([]string{"casusnet", "token"}, args...), env(nil), io.Discard, io.Discard); err == nil {
			t.Errorf("token %v: no error", args)
		}
	}
	if err := run(context.Background(), []string{"casusnet", "launch"}, env(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("an unknown command did not fail")
	}
	if err := run(context.Background(), []string{"casusnet", "seed"}, env(nil), io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--demo") {
		t.Fatalf("seed without --demo: %v", err)
	}
}

// checkLDVExport exports the access log in the Logboek Dataverwerkingen
// shape: every line one JSON object with a trace, a processing activity of
// the register and, where the entry named persons, one subject's pseudonym;
// one line per subject per activity of every entry.
func checkLDVExport(t *testing.T, getenv func(string) string) {
	t.Helper()
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"casusnet", "audit", "export", "--format", "ldv", "--register-uri", "https://casus.example.nl"}, getenv, &out, &errs); err != nil {
		t.Fatalf("audit export: %v\n%s", err, errs.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	subjects, entries := 0, map[float64]bool{}
	for _, line := range lines {
		var r struct {
			TraceID     string         `json:"trace_id"`
			OperationID string         `json:"operation_id"`
			Attributes  map[string]any `json:"attributes"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("not a JSON object: %q", line)
		}
		activity, _ := r.Attributes["dpl.core.processing_activity_id"].(string)
		if len(r.TraceID) != 32 || len(r.OperationID) != 16 || !strings.HasPrefix(activity, "https://casus.example.nl/verwerkingsactiviteiten/") {
			t.Fatalf("record: %s", line)
		}
		if r.Attributes["dpl.core.data_subject_id"] != nil {
			subjects++
		}
		entries[r.Attributes["casusnet.audit.seq"].(float64)] = true
	}
	if subjects == 0 || !strings.Contains(errs.String(), fmt.Sprintf("%d entries, %d records", len(entries), len(lines))) {
		t.Fatalf("export: %d records, %d with a subject, from %d entries; it said %q", len(lines), subjects, len(entries), errs.String())
	}
	if err := run(context.Background(), []string{"casusnet", "audit", "export", "--format", "csv"}, getenv, io.Discard, io.Discard); err == nil {
		t.Fatal("audit export --format csv: accepted")
	}
}
