package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"casusnet/internal/casus"
)

var director = Identity{Actor: casus.Actor{ID: "dir-1", Name: "R. Regisseur", Role: casus.RoleDirector,
	Municipalities: []string{"GM0362"}, OrganisationID: "org-avz"}}

func TestDevTokens(t *testing.T) {
	key := []byte(DevSigningKey)
	v := NewDevVerifier(key)
	now := time.Now()
	good, err := IssueDevToken(key, director, time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	id, err := v.Verify(context.Background(), good)
	if err != nil {
		t.Fatalf("valid token: %v", err)
	}
	if id.Actor.ID != "dir-1" || id.Actor.Role != casus.RoleDirector || id.Actor.Municipalities[0] != "GM0362" ||
		id.Actor.OrganisationID != "org-avz" || id.ExpiresAt.Before(now) {
		t.Fatalf("identity = %+v", id)
	}

	expired, _ := IssueDevToken(key, director, time.Minute, now.Add(-2*time.Hour))
	forged, _ := IssueDevToken([]byte("another key"), director, time.Hour, now)
	noRole := director
	noRole.Actor.Role = "ADMIN"
	badRole, _ := IssueDevToken(key, noRole, time.Hour, now)
	noSub := director
	noSub.Actor.ID = ""
	anonymous, _ := IssueDevToken(key, noSub, time.Hour, now)
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	body := strings.Split(good, ".")[1]
	none := header + "." + body + "."
	wrongIssuer, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "x", "role": "COORDINATOR", "iss": "someone", "aud": "casusnet", "exp": now.Add(time.Hour).Unix(),
	}).SignedString(key)
	noExpiry, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "x", "role": "COORDINATOR", "iss": devIssuer, "aud": devAudience,
	}).SignedString(key)

	for name, tok := range map[string]string{
		"expired": expired, "forged": forged, "unknown role": badRole, "no subject": anonymous,
		"alg none": none, "wrong issuer": wrongIssuer, "no expiry": noExpiry, "garbage": "abc.def.ghi", "empty": "",
	} {
		_, err := v.Verify(context.Background(), tok)
		if casus.ErrorCode(err) != casus.EUNAUTHENTICATED {
			t.Errorf("%s token: err = %v, want UNAUTHENTICATED", name, err)
		}
	}
	if _, err := v.Verify(context.Background(), expired); casus.ErrorMessage(err) != "token expired" {
		t.Errorf("expired token message = %q", casus.ErrorMessage(err))
	}
}

func TestMiddleware(t *testing.T) {
	key := []byte(DevSigningKey)
	var seen casus.Actor
	h := Middleware(NewDevVerifier(key))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, _ = casus.ActorFrom(r.Context())
		w.WriteHeader(http.StatusNoContent)
	}))
	good, _ := IssueDevToken(key, director, time.Hour, time.Now())
	do := func(header string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := do("Bearer " + good); w.Code != http.StatusNoContent || seen.ID != "dir-1" {
		t.Fatalf("valid token: %d, actor %+v", w.Code, seen)
	}
	for _, header := range []string{"", "Bearer ", "Basic abc", "Bearer nonsense", good} {
		w := do(header)
		var body struct {
			Errors []struct {
				Message    string
				Extensions map[string]string
			}
		}
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != http.StatusUnauthorized || w.Header().Get("WWW-Authenticate") != "Bearer" ||
			len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
			t.Errorf("Authorization %q: %d %s", header, w.Code, w.Body)
		}
	}
}

func TestTokenFromInitPayload(t *testing.T) {
	for payload, want := range map[string]string{
		`{"Authorization": "Bearer abc"}`: "abc",
		`{"authorization": "abc"}`:        "abc",
		`{"token": "abc"}`:                "abc",
		`{"other": "abc"}`:                "",
		`{"token": 42}`:                   "",
	} {
		var m map[string]any
		_ = json.Unmarshal([]byte(payload), &m)
		if got := TokenFromInitPayload(m); got != want {
			t.Errorf("%s: %q, want %q", payload, got, want)
		}
	}
}
