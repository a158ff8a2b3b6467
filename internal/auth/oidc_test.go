package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"casusnet/internal/casus"
)

const testAudience = "casusnet"

// fakeIssuer is an OpenID Connect issuer on a local test server: a discovery
// document and a JWKS whose keys a test can add, retire and break.
type fakeIssuer struct {
	srv *httptest.Server

	mu      sync.Mutex
	keys    []jose.JSONWebKey
	fetches int  // JWKS requests served
	broken  bool // the JWKS endpoint answers 500
	// discoveredIssuer, if set, is the issuer the discovery document names.
	discoveredIssuer string
}

func newFakeIssuer(t *testing.T) *fakeIssuer {
	t.Helper()
	f := &fakeIssuer{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		iss := f.discoveredIssuer
		f.mu.Unlock()
		if iss == "" {
			iss = f.srv.URL
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                iss,
			"jwks_uri":                              f.srv.URL + "/jwks",
			"authorization_endpoint":                f.srv.URL + "/authorize",
			"token_endpoint":                        f.srv.URL + "/token",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.fetches++
		if f.broken {
			http.Error(w, "unavailable", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: f.keys})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIssuer) url() string { return f.srv.URL }

// publish generates an RSA key, adds its public half to the JWKS under kid,
// and returns the private key.
func (f *fakeIssuer) publish(t *testing.T, kid string) *rsa.PrivateKey {
	t.Helper()
	k := newRSAKey(t)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys = append(f.keys, jose.JSONWebKey{Key: &k.PublicKey, KeyID: kid, Algorithm: string(jose.RS256), Use: "sig"})
	return k
}

// retire removes the key kid from the JWKS.
func (f *fakeIssuer) retire(kid string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys = slices.DeleteFunc(f.keys, func(k jose.JSONWebKey) bool { return k.KeyID == kid })
}

func (f *fakeIssuer) setBroken(b bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.broken = b
}

func (f *fakeIssuer) fetchCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fetches
}

// claims returns the claims of a valid token of f, changed by edit.
func (f *fakeIssuer) claims(edit func(map[string]any)) map[string]any {
	now := time.Now()
	c := map[string]any{
		"iss": f.url(), "aud": testAudience, "sub": "u-1", "name": "R. Regisseur",
		"role": RoleDirector, "municipalities": []string{"GM0358", "GM0362"}, "organisation": "org-avz",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
	if edit != nil {
		edit(c)
	}
	return c
}

func newRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// signJWT signs claims with key using alg, naming kid in the header if it is
// not empty.
func signJWT(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func newTestOIDCVerifier(t *testing.T, f *fakeIssuer) Verifier {
	t.Helper()
	v, err := NewOIDCVerifier(context.Background(), f.url(), testAudience)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOIDCVerifierAccepts(t *testing.T) {
	f := newFakeIssuer(t)
	k1 := f.publish(t, "k1")
	v := newTestOIDCVerifier(t, f)
	exp := time.Now().Add(time.Hour).Truncate(time.Second)

	id, err := v.Verify(context.Background(), signJWT(t, jose.RS256, k1, "k1", f.claims(func(c map[string]any) { c["exp"] = exp.Unix() })))
	if err != nil {
		t.Fatalf("valid token refused: %v", err)
	}
	a := id.Actor
	munis := []string{"GM0358", "GM0362"}
	if a.ID != "u-1" || a.Name != "R. Regisseur" || a.Role != RoleDirector || !slices.Equal(a.Municipalities, munis) ||
		a.OrganisationID != "org-avz" || !slices.Equal(id.Municipalities, munis) || id.OrganisationID != "org-avz" ||
		!id.ExpiresAt.Equal(exp) {
		t.Fatalf("identity = %+v", id)
	}

	// An audience list that includes casusnet, and a coordinator without
	// municipalities or organisation.
	id, err = v.Verify(context.Background(), signJWT(t, jose.RS256, k1, "k1", f.claims(func(c map[string]any) {
		c["aud"] = []string{"explorer", testAudience}
		c["role"] = RoleCoordinator
		delete(c, "municipalities")
		delete(c, "organisation")
	})))
	if err != nil {
		t.Fatalf("token for several audiences refused: %v", err)
	}
	if id.Actor.Role != RoleCoordinator || len(id.Municipalities) != 0 || id.OrganisationID != "" {
		t.Fatalf("identity = %+v", id)
	}
}

func TestOIDCVerifierKeyRotation(t *testing.T) {
	f := newFakeIssuer(t)
	k1 := f.publish(t, "k1")
	v := newTestOIDCVerifier(t, f)
	ctx := context.Background()
	tok1 := signJWT(t, jose.RS256, k1, "k1", f.claims(nil))

	if _, err := v.Verify(ctx, tok1); err != nil {
		t.Fatalf("token signed with k1 refused: %v", err)
	}
	fetched := f.fetchCount()
	if fetched == 0 {
		t.Fatal("the verifier never fetched the JWKS")
	}
	if _, err := v.Verify(ctx, tok1); err != nil {
		t.Fatalf("token signed with k1 refused the second time: %v", err)
	}
	if n := f.fetchCount(); n != fetched {
		t.Fatalf("JWKS fetched %d times for two tokens with a known key, want %d: keys are not cached", n, fetched)
	}

	// The issuer starts signing with k2 before the verifier has seen it.
	k2 := newRSAKey(t)
	tok2 := signJWT(t, jose.RS256, k2, "k2", f.claims(nil))
	if _, err := v.Verify(ctx, tok2); casus.ErrorCode(err) != casus.EUNAUTHENTICATED {
		t.Fatalf("token signed with an unpublished key: %v, want UNAUTHENTICATED", err)
	}
	// Once k2 is published, the verifier refetches the JWKS and accepts it.
	f.mu.Lock()
	f.keys = append(f.keys, jose.JSONWebKey{Key: &k2.PublicKey, KeyID: "k2", Algorithm: string(jose.RS256), Use: "sig"})
	f.mu.Unlock()
	before := f.fetchCount()
	// go-oidc hands the refused lookup's fetch to every caller until that
	// fetch's goroutine has let go of it (at once, but on its own
	// schedule), so a try right after the rotation may still see the old
	// keys; the next one fetches anew. Each try is answered at once.
	var id *Identity
	var err error
	for tries := 0; ; tries++ {
		if id, err = v.Verify(ctx, tok2); err == nil {
			break
		}
		if tries == 100_000 {
			t.Fatalf("token signed with rotated-in key k2 refused: %v", err)
		}
		runtime.Gosched()
	}
	if id.Actor.ID != "u-1" {
		t.Fatalf("identity = %+v", id)
	}
	if f.fetchCount() == before {
		t.Fatal("k2 accepted without refetching the JWKS")
	}

	// The issuer retires k1; once the verifier has refetched the JWKS, a
	// token signed with k1 is refused.
	f.retire("k1")
	if _, err := v.Verify(ctx, tok1); err != nil {
		t.Fatalf("token signed with k1 refused while k1 is still cached: %v", err)
	}
	before = f.fetchCount()
	unknown := signJWT(t, jose.RS256, newRSAKey(t), "k3", f.claims(nil))
	if _, err := v.Verify(ctx, unknown); casus.ErrorCode(err) != casus.EUNAUTHENTICATED {
		t.Fatalf("token signed with an unknown key: %v, want UNAUTHENTICATED", err)
	}
	if f.fetchCount() == before {
		t.Fatal("a token with an unknown kid did not make the verifier refetch the JWKS")
	}
	if _, err := v.Verify(ctx, tok1); casus.ErrorCode(err) != casus.EUNAUTHENTICATED {
		t.Fatalf("token signed with retired key k1: %v, want UNAUTHENTICATED", err)
	}
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatalf("token signed with k2 refused after k1 was retired: %v", err)
	}
}

// When the JWKS cannot be fetched, tokens with cached keys still verify and
// tokens with other keys are refused as UNAUTHENTICATED, not as an internal
// error whose text could reach the client.
func TestOIDCVerifierKeysUnavailable(t *testing.T) {
	f := newFakeIssuer(t)
	k1 := f.publish(t, "k1")
	v := newTestOIDCVerifier(t, f)
	ctx := context.Background()
	if _, err := v.Verify(ctx, signJWT(t, jose.RS256, k1, "k1", f.claims(nil))); err != nil {
		t.Fatal(err)
	}
	f.setBroken(true)
	if _, err := v.Verify(ctx, signJWT(t, jose.RS256, k1, "k1", f.claims(nil))); err != nil {
		t.Fatalf("token with a cached key refused while the JWKS is down: %v", err)
	}
	k9 := f.publish(t, "k9")
	_, err := v.Verify(ctx, signJWT(t, jose.RS256, k9, "k9", f.claims(nil)))
	if casus.ErrorCode(err) != casus.EUNAUTHENTICATED || casus.ErrorMessage(err) != "token invalid" {
		t.Fatalf("token with an unfetchable key: %v, want UNAUTHENTICATED %q", err, "token invalid")
	}
	if strings.Contains(err.Error(), "500") || strings.Contains(err.Error(), "jwks") {
		t.Fatalf("refusal leaks the cause: %q", err.Error())
	}
}

func TestOIDCVerifierRefuses(t *testing.T) {
	f := newFakeIssuer(t)
	k1 := f.publish(t, "k1")
	v := newTestOIDCVerifier(t, f)
	ctx := context.Background()
	now := time.Now()

	good := signJWT(t, jose.RS256, k1, "k1", f.claims(nil))
	if _, err := v.Verify(ctx, good); err != nil {
		t.Fatalf("baseline token refused: %v", err)
	}
	parts := strings.Split(good, ".")
	b64 := base64.RawURLEncoding.EncodeToString
	edited := func(edit func(map[string]any)) string { return signJWT(t, jose.RS256, k1, "k1", f.claims(edit)) }
	tampered, _ := json.Marshal(f.claims(func(c map[string]any) { c["role"] = RoleCoordinator }))
	publicDER, err := x509.MarshalPKIXPublicKey(&k1.PublicKey)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ name, token, msg string }{
		{"empty", "", "token missing"},
		{"garbage", "not a token", "token invalid"},
		{"expired", edited(func(c map[string]any) {
			c["iat"], c["exp"] = now.Add(-2*time.Hour).Unix(), now.Add(-time.Minute).Unix()
		}), "token expired"},
		{"no expiry", edited(func(c map[string]any) { delete(c, "exp") }), "token invalid"},
		{"not yet valid", edited(func(c map[string]any) { c["nbf"] = now.Add(time.Hour).Unix() }), "token invalid"},
		{"wrong issuer", edited(func(c map[string]any) { c["iss"] = "https://elsewhere.example" }), "token invalid"},
		{"no issuer", edited(func(c map[string]any) { delete(c, "iss") }), "token invalid"},
		{"wrong audience", edited(func(c map[string]any) { c["aud"] = "someone-else" }), "token invalid"},
		{"no audience", edited(func(c map[string]any) { delete(c, "aud") }), "token invalid"},
		{"forged signature, known kid", signJWT(t, jose.RS256, newRSAKey(t), "k1", f.claims(nil)), "token invalid"},
		{"forged signature, no kid", signJWT(t, jose.RS256, newRSAKey(t), "", f.claims(nil)), "token invalid"},
		{"tampered payload", parts[0] + "." + b64(tampered) + "." + parts[2], "token invalid"},
		{"alg none", b64([]byte(`{"alg":"none","typ":"JWT","kid":"k1"}`)) + "." + parts[1] + ".", "token invalid"},
		{"alg none with signature", b64([]byte(`{"alg":"none","typ":"JWT","kid":"k1"}`)) + "." + parts[1] + "." + parts[2], "token invalid"},
		{"alg HS256 keyed with the public key", signJWT(t, jose.HS256, publicDER, "k1", f.claims(nil)), "token invalid"},
		{"alg RS384", signJWT(t, jose.RS384, k1, "k1", f.claims(nil)), "token invalid"},
		{"no subject", edited(func(c map[string]any) { delete(c, "sub") }), "token invalid"},
		{"no role", edited(func(c map[string]any) { delete(c, "role") }), "token invalid"},
		{"unknown role", edited(func(c map[string]any) { c["role"] = "ADMIN" }), "token invalid"},
		{"role not a string", edited(func(c map[string]any) { c["role"] = []string{RoleDirector} }), "token invalid"},
		{"municipalities not a list", edited(func(c map[string]any) { c["municipalities"] = "GM0362" }), "token invalid"},
		{"malformed municipality", edited(func(c map[string]any) { c["municipalities"] = []string{"Ouder-Amstel"} }), "token invalid"},
	} {
		id, err := v.Verify(ctx, tc.token)
		if id != nil || casus.ErrorCode(err) != casus.EUNAUTHENTICATED || casus.ErrorMessage(err) != tc.msg {
			t.Errorf("%s: identity %+v, err %v; want UNAUTHENTICATED %q", tc.name, id, err, tc.msg)
		}
	}
}

func TestNewOIDCVerifierFails(t *testing.T) {
	ctx := context.Background()

	f := newFakeIssuer(t)
	f.discoveredIssuer = "https://impostor.example"
	if _, err := NewOIDCVerifier(ctx, f.url(), testAudience); err == nil {
		t.Error("discovery naming another issuer accepted")
	}

	good := newFakeIssuer(t)
	if _, err := NewOIDCVerifier(ctx, good.url(), ""); err == nil {
		t.Error("empty audience accepted")
	}
	if _, err := NewOIDCVerifier(ctx, "", testAudience); err == nil {
		t.Error("empty issuer accepted")
	}
	if _, err := NewOIDCVerifier(ctx, good.url()+"/no-such-issuer", testAudience); err == nil {
		t.Error("issuer without a discovery document accepted")
	}

	gone := httptest.NewServer(http.NotFoundHandler())
	url := gone.URL
	gone.Close()
	if _, err := NewOIDCVerifier(ctx, url, testAudience); err == nil {
		t.Error("unreachable issuer accepted")
	}
}
