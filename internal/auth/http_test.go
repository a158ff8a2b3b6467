package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"casusnet/internal/casus"
)

// seen records what the handler behind the middleware got.
type seen struct {
	called   bool
	identity *Identity
	actor    casus.Actor
	hasActor bool
}

func serve(t *testing.T, v Verifier, r *http.Request) (*httptest.ResponseRecorder, seen) {
	t.Helper()
	var s seen
	h := Middleware(v)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.called = true
		s.identity, _ = IdentityFrom(r.Context())
		s.actor, s.hasActor = casus.ActorFrom(r.Context())
		w.WriteHeader(http.StatusTeapot)
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w, s
}

func post(headers ...string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	r.Header.Set("Content-Type", "application/json")
	for _, h := range headers {
		r.Header.Add("Authorization", h)
	}
	return r
}

func TestMiddlewareAdmits(t *testing.T) {
	key := []byte(DevSigningKey)
	v := NewDevVerifier(key)
	tok, err := IssueDevToken(key, director, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, header := range []string{"Bearer " + tok, "bearer " + tok, "BEARER  " + tok + " "} {
		w, s := serve(t, v, post(header))
		if w.Code != http.StatusTeapot || !s.called {
			t.Fatalf("Authorization %.20q: status %d, handler called %v", header, w.Code, s.called)
		}
		if s.identity == nil || s.identity.Actor.ID != "dir-1" || !slices.Equal(s.identity.Municipalities, director.Municipalities) ||
			s.identity.OrganisationID != "org-avz" || s.identity.ExpiresAt.IsZero() {
			t.Fatalf("identity on the context = %+v", s.identity)
		}
		if !s.hasActor || s.actor.ID != "dir-1" || s.actor.Role != RoleDirector || !slices.Equal(s.actor.Municipalities, director.Municipalities) {
			t.Fatalf("actor on the context = %+v (present %v)", s.actor, s.hasActor)
		}
		if w.Header().Get("WWW-Authenticate") != "" {
			t.Fatal("admitted request answered with WWW-Authenticate")
		}
	}
}

func TestMiddlewareRefuses(t *testing.T) {
	key := []byte(DevSigningKey)
	v := NewDevVerifier(key)
	now := time.Now()
	good, _ := IssueDevToken(key, director, time.Hour, now)
	expired, _ := IssueDevToken(key, director, time.Hour, now.Add(-2*time.Hour))
	forged, _ := IssueDevToken([]byte("another key"), director, time.Hour, now)

	upgrade := func(method, header string) *http.Request {
		r := httptest.NewRequest(method, "/graphql", nil)
		r.Header.Set("Connection", "Upgrade")
		r.Header.Set("Upgrade", "websocket")
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		return r
	}

	for _, tc := range []struct {
		name string
		r    *http.Request
		msg  string
	}{
		{"no header", post(), "token missing"},
		{"empty header", post(""), "token malformed"},
		{"scheme only", post("Bearer"), "token malformed"},
		{"scheme and space", post("Bearer "), "token malformed"},
		{"no scheme", post(good), "token malformed"},
		{"basic scheme", post("Basic ZGlyLTE6c2VjcmV0"), "token malformed"},
		{"two tokens", post("Bearer " + good + " " + good), "token malformed"},
		{"two headers", post("Bearer "+good, "Bearer "+good), "token malformed"},
		{"garbage token", post("Bearer nonsense"), "token malformed"},
		{"expired token", post("Bearer " + expired), "token expired"},
		{"forged token", post("Bearer " + forged), "token invalid"},
		{"POST claiming a websocket upgrade", upgrade(http.MethodPost, ""), "token missing"},
		{"websocket upgrade with a forged header", upgrade(http.MethodGet, "Bearer "+forged), "token invalid"},
	} {
		w, s := serve(t, v, tc.r)
		want := `{"errors":[{"message":"` + tc.msg + `","extensions":{"code":"UNAUTHENTICATED"}}]}`
		if w.Code != http.StatusUnauthorized || w.Body.String() != want {
			t.Errorf("%s: %d %s, want 401 %s", tc.name, w.Code, w.Body, want)
		}
		if got := w.Header().Get("WWW-Authenticate"); got != "Bearer" {
			t.Errorf("%s: WWW-Authenticate %q, want Bearer", tc.name, got)
		}
		if got := w.Header().Get("Content-Type"); got != "application/json" {
			t.Errorf("%s: Content-Type %q, want application/json", tc.name, got)
		}
		if s.called {
			t.Errorf("%s: the handler behind the middleware was called", tc.name)
		}
	}
}

// A websocket upgrade without a header passes, without an identity: its
// token comes in connection_init. With a valid header it gets the identity.
func TestMiddlewareWebsocketUpgrade(t *testing.T) {
	key := []byte(DevSigningKey)
	v := NewDevVerifier(key)
	r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
	r.Header.Set("Connection", "Upgrade")
	r.Header.Set("Upgrade", "WebSocket")
	w, s := serve(t, v, r)
	if w.Code != http.StatusTeapot || !s.called || s.identity != nil || s.hasActor {
		t.Fatalf("websocket upgrade: status %d, called %v, identity %+v, actor present %v", w.Code, s.called, s.identity, s.hasActor)
	}

	tok, _ := IssueDevToken(key, director, time.Hour, time.Now())
	r.Header.Set("Authorization", "Bearer "+tok)
	w, s = serve(t, v, r)
	if w.Code != http.StatusTeapot || s.identity == nil || s.identity.Actor.ID != "dir-1" {
		t.Fatalf("websocket upgrade with a token: status %d, identity %+v", w.Code, s.identity)
	}
}

type failingVerifier struct{ err error }

func (f failingVerifier) Verify(context.Context, string) (*Identity, error) { return nil, f.err }

// A verifier error that is not an application error is refused without its
// text.
func TestMiddlewareHidesInternalErrors(t *testing.T) {
	w, s := serve(t, failingVerifier{errors.New("dial tcp 10.0.0.7:443: connection refused")}, post("Bearer abc"))
	want := `{"errors":[{"message":"token invalid","extensions":{"code":"UNAUTHENTICATED"}}]}`
	if w.Code != http.StatusUnauthorized || w.Body.String() != want || s.called {
		t.Fatalf("%d %s (handler called %v), want 401 %s", w.Code, w.Body, s.called, want)
	}
}

func TestIdentityContext(t *testing.T) {
	ctx := context.Background()
	if id, ok := IdentityFrom(ctx); ok || id != nil {
		t.Fatalf("empty context: %+v, %v", id, ok)
	}
	if id, ok := IdentityFrom(WithIdentity(ctx, nil)); ok || id != nil {
		t.Fatalf("context with a nil identity: %+v, %v", id, ok)
	}
	want := director
	ctx = WithIdentity(ctx, &want)
	got, ok := IdentityFrom(ctx)
	if !ok || got != &want {
		t.Fatalf("IdentityFrom = %p, %v; want %p", got, ok, &want)
	}
	if a, ok := casus.ActorFrom(ctx); !ok || a.ID != "dir-1" || a.Role != RoleDirector {
		t.Fatalf("ActorFrom = %+v, %v", a, ok)
	}
}

func TestTokenFromInitPayload(t *testing.T) {
	for _, tc := range []struct {
		name    string
		payload map[string]any
		want    string
	}{
		{"Authorization with prefix", map[string]any{"Authorization": "Bearer abc"}, "abc"},
		{"Authorization without prefix", map[string]any{"Authorization": "abc"}, "abc"},
		{"authorization with prefix", map[string]any{"authorization": "Bearer abc"}, "abc"},
		{"authorization, lower-case scheme", map[string]any{"authorization": "bearer abc"}, "abc"},
		{"authorization without prefix", map[string]any{"authorization": "abc"}, "abc"},
		{"token", map[string]any{"token": "abc"}, "abc"},
		{"token with prefix", map[string]any{"token": "Bearer abc"}, "abc"},
		{"surrounding space", map[string]any{"Authorization": "  Bearer  abc "}, "abc"},
		{"Authorization before token", map[string]any{"Authorization": "Bearer abc", "token": "def"}, "abc"},
		{"empty Authorization, then token", map[string]any{"Authorization": "", "token": "def"}, "def"},
		{"prefix only, then token", map[string]any{"Authorization": "Bearer ", "token": "def"}, "def"},
		{"Authorization not a string, then token", map[string]any{"Authorization": 42, "token": "def"}, "def"},
		{"token not a string", map[string]any{"token": 42}, ""},
		{"other key", map[string]any{"Cookie": "abc"}, ""},
		{"empty", map[string]any{}, ""},
		{"nil", nil, ""},
	} {
		if got := TokenFromInitPayload(tc.payload); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

type acceptingVerifier struct{}

func (acceptingVerifier) Verify(_ context.Context, token string) (*Identity, error) {
	return &Identity{Actor: casus.Actor{ID: token, Role: RoleAnalyst}}, nil
}

// The middleware itself refuses a header that is not one bearer token,
// whatever the verifier would say about it.
func TestMiddlewareParsesHeader(t *testing.T) {
	for _, header := range []string{"Bearer a b", "Bearer a\tb", "Token abc", "abc", "Bearer"} {
		w, s := serve(t, acceptingVerifier{}, post(header))
		if w.Code != http.StatusUnauthorized || s.called {
			t.Errorf("Authorization %q: status %d, handler called %v; want 401", header, w.Code, s.called)
		}
	}
	w, s := serve(t, acceptingVerifier{}, post("Bearer abc"))
	if w.Code != http.StatusTeapot || s.identity == nil || s.identity.Actor.ID != "abc" {
		t.Fatalf("Authorization %q: status %d, identity %+v", "Bearer abc", w.Code, s.identity)
	}
}
