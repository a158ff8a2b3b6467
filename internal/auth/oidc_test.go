package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"casusnet/internal/casus"
)

// issuer is a fake OIDC issuer: discovery and a JWKS whose keys a test can
// rotate.
type issuer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	keys []jose.JSONWebKey
}

func newIssuer(t *testing.T) *issuer {
	is := &issuer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": is.srv.URL, "jwks_uri": is.srv.URL + "/keys",
			"authorization_endpoint": is.srv.URL + "/auth", "token_endpoint": is.srv.URL + "/token",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		is.mu.Lock()
		defer is.mu.Unlock()
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: is.keys})
	})
	is.srv = httptest.NewServer(mux)
	t.Cleanup(is.srv.Close)
	return is
}

// addKey publishes a new signing key and returns it.
func (is *issuer) addKey(t *testing.T, id string) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is.mu.Lock()
	is.keys = append(is.keys, jose.JSONWebKey{Key: &k.PublicKey, KeyID: id, Algorithm: "RS256", Use: "sig"})
	is.mu.Unlock()
	return k
}

func sign(t *testing.T, k *rsa.PrivateKey, kid string, c map[string]any) string {
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: k}, (&jose.SignerOptions{}).WithHeader("kid", kid).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(c).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestOIDCVerifier(t *testing.T) {
	is := newIssuer(t)
	k1 := is.addKey(t, "k1")
	ctx := context.Background()
	v, err := NewOIDCVerifier(ctx, is.srv.URL, "casusnet")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claims := func(edit func(map[string]any)) map[string]any {
		c := map[string]any{"iss": is.srv.URL, "aud": "casusnet", "sub": "u-1", "name": "R. Regisseur",
			"role": "DIRECTOR", "municipalities": []string{"GM0362"}, "organisation": "org-avz",
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
		if edit != nil {
			edit(c)
		}
		return c
	}
	id, err := v.Verify(ctx, sign(t, k1, "k1", claims(nil)))
	if err != nil {
		t.Fatalf("valid token: %v", err)
	}
	if id.Actor.ID != "u-1" || id.Actor.Role != casus.RoleDirector || id.Actor.Municipalities[0] != "GM0362" || id.Actor.OrganisationID != "org-avz" {
		t.Fatalf("identity = %+v", id)
	}

	// Key rotation: a token signed with a key published after the verifier
	// started is accepted once the issuer publishes it.
	k2 := is.addKey(t, "k2")
	if _, err := v.Verify(ctx, sign(t, k2, "k2", claims(nil))); err != nil {
		t.Fatalf("token signed with a rotated-in key: %v", err)
	}

	stranger, _ := rsa.GenerateKey(rand.Reader, 2048)
	for name, tok := range map[string]string{
		"expired":        sign(t, k1, "k1", claims(func(c map[string]any) { c["exp"] = now.Add(-time.Hour).Unix() })),
		"wrong issuer":   sign(t, k1, "k1", claims(func(c map[string]any) { c["iss"] = "https://elsewhere.example" })),
		"wrong audience": sign(t, k1, "k1", claims(func(c map[string]any) { c["aud"] = "someone-else" })),
		"forged":         sign(t, stranger, "k1", claims(nil)),
		"unknown role":   sign(t, k1, "k1", claims(func(c map[string]any) { c["role"] = "ADMIN" })),
		"alg none":       "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ1LTEifQ.",
	} {
		_, err := v.Verify(ctx, tok)
		if casus.ErrorCode(err) != casus.EUNAUTHENTICATED {
			t.Errorf("%s: %v, want UNAUTHENTICATED", name, err)
		}
	}
}
