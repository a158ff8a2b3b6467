package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
)

func TestRateLimitPerKey(t *testing.T) {
	l := newLimiter(RateLimit{PerSecond: 1, Burst: 3})
	now := time.Now()
	for i := 0; i < 3; i++ {
		if ok, _ := l.allow("u-1", now); !ok {
			t.Fatalf("request %d within the burst refused", i)
		}
	}
	ok, wait := l.allow("u-1", now)
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("fourth request: ok=%v wait=%v, want refused for up to 1 s", ok, wait)
	}
	if ok, _ := l.allow("u-2", now); !ok {
		t.Fatal("another user was refused for the first user's requests")
	}
	if ok, _ := l.allow("u-1", now.Add(time.Second)); !ok {
		t.Fatal("a token did not come back after a second")
	}
	// Idle keys are forgotten.
	l.allow("u-3", now.Add(2*limiterIdle))
	if _, kept := l.keys["u-2"]; kept {
		t.Fatal("an idle key was kept")
	}

	h := rateLimited(newLimiter(RateLimit{PerSecond: 0.001, Burst: 1}), "user", userOf,
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	do := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		r = r.WithContext(casus.WithActor(r.Context(), casus.Actor{ID: "u-1", Role: casus.RoleDirector}))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := do(); w.Code != http.StatusNoContent {
		t.Fatalf("first request: %d", w.Code)
	}
	w := do()
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), `"RATE_LIMITED"`) {
		t.Fatalf("second request: %d %s %s", w.Code, w.Header(), w.Body)
	}
}
