package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"casusnet/internal/casus"
)

func TestDevTokenRoundTrip(t *testing.T) {
	key := []byte(DevSigningKey)
	now := time.Now().Truncate(time.Second)
	tok, err := IssueDevToken(key, director, time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	id, err := NewDevVerifier(key).Verify(context.Background(), tok)
	if err != nil {
		t.Fatalf("valid token refused: %v", err)
	}
	a := id.Actor
	if a.ID != "dir-1" || a.Name != "R. Regisseur" || a.Role != RoleDirector ||
		!slices.Equal(a.Municipalities, director.Municipalities) || a.OrganisationID != "org-avz" ||
		!slices.Equal(id.Municipalities, director.Municipalities) || id.OrganisationID != "org-avz" ||
		!id.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("identity = %+v", id)
	}

	// The token carries the registered claims the brief names.
	var c devClaims
	if _, _, err := jwt.NewParser().ParseUnverified(tok, &c); err != nil {
		t.Fatal(err)
	}
	if c.Issuer != "casusnet-dev" || !slices.Equal(c.Audience, jwt.ClaimStrings{"casusnet"}) ||
		!c.IssuedAt.Equal(now) || c.Subject != "dir-1" || c.Role != RoleDirector {
		t.Fatalf("claims = %+v", c)
	}
}

// The `casusnet token` command gives the scope on the actor only.
func TestIssueDevTokenScopeFromActor(t *testing.T) {
	key := []byte("k")
	actor := casus.Actor{ID: "u-jw", Role: RolePartner, Municipalities: []string{"GM0384"}, OrganisationID: "org-jw"}
	tok, err := IssueDevToken(key, Identity{Actor: actor}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	id, err := NewDevVerifier(key).Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(id.Municipalities, []string{"GM0384"}) || id.OrganisationID != "org-jw" ||
		!slices.Equal(id.Actor.Municipalities, []string{"GM0384"}) || id.Actor.OrganisationID != "org-jw" {
		t.Fatalf("identity = %+v", id)
	}
}

func TestIssueDevTokenRefuses(t *testing.T) {
	key := []byte(DevSigningKey)
	now := time.Now()
	with := func(edit func(*Identity)) Identity {
		id := director
		edit(&id)
		return id
	}
	for name, tc := range map[string]struct {
		key []byte
		id  Identity
		ttl time.Duration
	}{
		"empty key":              {nil, director, time.Hour},
		"no id":                  {key, with(func(id *Identity) { id.Actor.ID = "" }), time.Hour},
		"unknown role":           {key, with(func(id *Identity) { id.Actor.Role = "ADMIN" }), time.Hour},
		"malformed municipality": {key, with(func(id *Identity) { id.Municipalities = []string{"Diemen"} }), time.Hour},
		"zero ttl":               {key, director, 0},
		"negative ttl":           {key, director, -time.Minute},
	} {
		if tok, err := IssueDevToken(tc.key, tc.id, tc.ttl, now); err == nil {
			t.Errorf("%s: issued %q", name, tok)
		}
	}
}

// TestDevVerifierHasNoLeeway: a development token is issued on the
// server's own clock, so an expired one is refused at once, and one issued
// in the future is forged.
func TestDevVerifierHasNoLeeway(t *testing.T) {
	key := []byte(DevSigningKey)
	v := NewDevVerifier(key)
	ctx := context.Background()

	// Expired 2 s ago.
	tok, _ := IssueDevToken(key, director, time.Minute, time.Now().Add(-time.Minute-2*time.Second))
	if _, err := v.Verify(ctx, tok); casus.ErrorCode(err) != casus.EUNAUTHENTICATED || casus.ErrorMessage(err) != "token expired" {
		t.Errorf("expired token: %v, want UNAUTHENTICATED %q", err, "token expired")
	}
	// Valid for another minute.
	tok, _ = IssueDevToken(key, director, time.Minute, time.Now())
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Errorf("valid token refused: %v", err)
	}
	// Issued 10 s in the future.
	tok, _ = IssueDevToken(key, director, time.Hour, time.Now().Add(10*time.Second))
	if _, err := v.Verify(ctx, tok); casus.ErrorCode(err) != casus.EUNAUTHENTICATED {
		t.Errorf("token issued in the future: %v, want UNAUTHENTICATED", err)
	}
}

func TestDevVerifierRefuses(t *testing.T) {
	key := []byte(DevSigningKey)
	now := time.Now()
	issue := func(k []byte, edit func(*Identity)) string {
		id := director
		if edit != nil {
			edit(&id)
		}
		tok, err := IssueDevToken(k, id, time.Hour, now)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	// sign signs claims as they are, bypassing IssueDevToken's checks.
	sign := func(m jwt.SigningMethod, k any, edit func(jwt.MapClaims)) string {
		c := jwt.MapClaims{"sub": "dir-1", "role": RoleDirector, "iss": "casusnet-dev", "aud": "casusnet",
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
		if edit != nil {
			edit(c)
		}
		tok, err := jwt.NewWithClaims(m, c).SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good := issue(key, nil)
	parts := strings.Split(good, ".")
	b64 := base64.RawURLEncoding.EncodeToString
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}

	// Sanity: the claims sign builds by default are accepted, so each case
	// below fails for its own reason only.
	if _, err := NewDevVerifier(key).Verify(context.Background(), sign(jwt.SigningMethodHS256, key, nil)); err != nil {
		t.Fatalf("baseline token refused: %v", err)
	}

	for _, tc := range []struct {
		name, token, msg string
		key              []byte
	}{
		{"empty", "", "token missing", key},
		{"garbage", "not a token", "token malformed", key},
		{"three garbage parts", "abc.def.ghi", "token malformed", key},
		{"expired", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) {
			c["iat"], c["exp"] = now.Add(-2*time.Hour).Unix(), now.Add(-time.Hour).Unix()
		}), "token expired", key},
		{"no expiry", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { delete(c, "exp") }), "token invalid", key},
		{"issued in the future", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() }), "token invalid", key},
		{"not yet valid", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() }), "token invalid", key},
		{"signed with another key", issue([]byte("another key"), nil), "token invalid", key},
		{"tampered payload", parts[0] + "." + b64([]byte(`{"sub":"dir-1","role":"COORDINATOR","iss":"casusnet-dev","aud":"casusnet","exp":9999999999}`)) + "." + parts[2], "token invalid", key},
		{"alg none", b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + ".", "token invalid", key},
		{"alg HS384", sign(jwt.SigningMethodHS384, key, nil), "token invalid", key},
		{"alg RS256", sign(jwt.SigningMethodRS256, rsaKey, nil), "token invalid", key},
		{"wrong issuer", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { c["iss"] = "someone-else" }), "token invalid", key},
		{"no issuer", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { delete(c, "iss") }), "token invalid", key},
		{"wrong audience", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { c["aud"] = "other-app" }), "token invalid", key},
		{"no audience", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { delete(c, "aud") }), "token invalid", key},
		{"no subject", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { delete(c, "sub") }), "token invalid", key},
		{"no role", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { delete(c, "role") }), "token invalid", key},
		{"unknown role", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { c["role"] = "ADMIN" }), "token invalid", key},
		{"role not a string", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { c["role"] = 1 }), "token malformed", key},
		{"municipalities not a list", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { c["municipalities"] = "GM0362" }), "token malformed", key},
		{"malformed municipality", sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { c["municipalities"] = []string{"Uithoorn"} }), "token invalid", key},
		{"verifier without a key", sign(jwt.SigningMethodHS256, []byte{}, nil), "token invalid", nil},
	} {
		id, err := NewDevVerifier(tc.key).Verify(context.Background(), tc.token)
		if id != nil || casus.ErrorCode(err) != casus.EUNAUTHENTICATED || casus.ErrorMessage(err) != tc.msg {
			t.Errorf("%s: identity %+v, err %v; want UNAUTHENTICATED %q", tc.name, id, err, tc.msg)
		}
	}
}

func TestDevVerifierAudienceList(t *testing.T) {
	key := []byte(DevSigningKey)
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "u-1", "role": RoleAnalyst, "iss": "casusnet-dev", "aud": []string{"explorer", "casusnet"},
		"exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewDevVerifier(key).Verify(context.Background(), tok); err != nil {
		t.Fatalf("token whose audience includes casusnet refused: %v", err)
	}
}

// The verifier keeps its own copy of the key.
func TestDevVerifierCopiesKey(t *testing.T) {
	key := []byte(DevSigningKey)
	v := NewDevVerifier(key)
	tok, _ := IssueDevToken([]byte(DevSigningKey), director, time.Hour, time.Now())
	key[0] ^= 0xff
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("verifier affected by a change to the caller's key slice: %v", err)
	}
}
