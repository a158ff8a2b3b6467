package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"casusnet/internal/auth"
	"casusnet/internal/casus"
)

func TestSignInConfig(t *testing.T) {
	mayor := auth.Identity{Actor: casus.Actor{ID: "u-mayor", Name: "M. de Kort", Role: auth.RoleMayor, Municipalities: []string{"GM0384"}},
		Municipalities: []string{"GM0384"}}
	for name, tc := range map[string]struct {
		s    SignIn
		want string
	}{
		"development": {SignIn{DevUsers: []auth.Identity{mayor}, DevKey: []byte("k")},
			`{"dev":true,"users":[{"id":"u-mayor","name":"M. de Kort","role":"MAYOR","municipalities":["GM0384"]}]}`},
		"oidc": {SignIn{Issuer: "https://login.example.nl", ClientID: "casusnet-web"},
			`{"dev":false,"oidc":{"clientId":"casusnet-web","issuer":"https://login.example.nl","scope":"openid profile"}}`},
	} {
		rec := httptest.NewRecorder()
		signInConfig(tc.s).ServeHTTP(rec, httptest.NewRequest("GET", "/auth/config", nil))
		if got := strings.TrimSpace(rec.Body.String()); got != tc.want {
			t.Errorf("%s: %s, want %s", name, got, tc.want)
		}
	}
}

func TestDevToken(t *testing.T) {
	key := []byte("test-key")
	mayor := auth.Identity{Actor: casus.Actor{ID: "u-mayor", Name: "M. de Kort", Role: auth.RoleMayor, Municipalities: []string{"GM0384"}},
		Municipalities: []string{"GM0384"}}
	h := devToken(SignIn{DevUsers: []auth.Identity{mayor}, DevKey: key})
	post := func(body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "/auth/dev/token", strings.NewReader(body)))
		return rec
	}
	rec := post(`{"user":"u-mayor"}`)
	var got struct{ Token, ExpiresAt string }
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("sign in: %d %s", rec.Code, rec.Body)
	}
	id, err := auth.NewDevVerifier(key).Verify(context.Background(), got.Token)
	if err != nil || id.Actor.ID != "u-mayor" || id.Actor.Role != auth.RoleMayor || len(id.Municipalities) != 1 || id.Municipalities[0] != "GM0384" {
		t.Fatalf("token verifies as %+v, %v; want the mayor of GM0384", id, err)
	}
	for body, want := range map[string]string{
		`{"user":"u-coordinator"}`: casus.ENOTFOUND, // not a demo user: no token for anyone else
		`{"user":`:                 casus.EINVALID,
		`[1,2,3]`:                  casus.EINVALID,
	} {
		rec := post(body)
		if !strings.Contains(rec.Body.String(), `"code":"`+want+`"`) || strings.Contains(rec.Body.String(), "token\"") {
			t.Errorf("%s: %d %s, want %s and no token", body, rec.Code, rec.Body, want)
		}
	}
}
