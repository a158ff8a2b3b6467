package auth

import (
	"slices"
	"testing"
	"time"

	"casusnet/internal/casus"
)

// director is the identity most tests issue tokens for.
var director = Identity{
	Actor:          casus.Actor{ID: "dir-1", Name: "R. Regisseur", Role: RoleDirector},
	Municipalities: []string{"GM0358", "GM0362"},
	OrganisationID: "org-avz",
}

func TestRolesMatchCasus(t *testing.T) {
	if !slices.Equal(Roles, casus.Roles) {
		t.Fatalf("auth.Roles = %v, casus.Roles = %v", Roles, casus.Roles)
	}
	want := []string{"DIRECTOR", "COORDINATOR", "MAYOR", "ANALYST", "PARTNER", "REPORTER", "AUDITOR", "DPO", "ADVISER"}
	if !slices.Equal(Roles, want) {
		t.Fatalf("Roles = %v, want %v", Roles, want)
	}
	for _, r := range Roles {
		if !ValidRole(r) {
			t.Errorf("ValidRole(%q) = false", r)
		}
	}
	for _, r := range []string{"", "ADMIN", "director", " DIRECTOR", "DIRECTOR "} {
		if ValidRole(r) {
			t.Errorf("ValidRole(%q) = true", r)
		}
	}
}

func TestClaimsIdentity(t *testing.T) {
	exp := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	good := tokenClaims{Name: "M. Burgemeester", Role: RoleMayor, Municipalities: []string{"GM0362"}, Organisation: "org-gm0362"}
	id, err := good.identity("mayor-1", exp)
	if err != nil {
		t.Fatal(err)
	}
	want := casus.Actor{ID: "mayor-1", Name: "M. Burgemeester", Role: RoleMayor, Municipalities: []string{"GM0362"}, OrganisationID: "org-gm0362"}
	if id.Actor.ID != want.ID || id.Actor.Name != want.Name || id.Actor.Role != want.Role ||
		!slices.Equal(id.Actor.Municipalities, want.Municipalities) || id.Actor.OrganisationID != want.OrganisationID ||
		!slices.Equal(id.Municipalities, want.Municipalities) || id.OrganisationID != want.OrganisationID ||
		!id.ExpiresAt.Equal(exp) || id.Actor.BreakGlass != "" {
		t.Fatalf("identity = %+v, want actor %+v expiring %v", id, want, exp)
	}
	id.Municipalities[0] = "GM0000"
	if id.Actor.Municipalities[0] != "GM0362" {
		t.Error("Identity.Municipalities and Actor.Municipalities share their backing array")
	}

	for name, tc := range map[string]struct {
		sub    string
		exp    time.Time
		claims tokenClaims
	}{
		"no subject":             {"", exp, good},
		"no expiry":              {"mayor-1", time.Time{}, good},
		"no role":                {"mayor-1", exp, tokenClaims{Municipalities: []string{"GM0362"}}},
		"unknown role":           {"mayor-1", exp, tokenClaims{Role: "ADMIN"}},
		"lower-case role":        {"mayor-1", exp, tokenClaims{Role: "mayor"}},
		"malformed municipality": {"mayor-1", exp, tokenClaims{Role: RoleMayor, Municipalities: []string{"Amstelveen"}}},
	} {
		id, err := tc.claims.identity(tc.sub, tc.exp)
		if id != nil || casus.ErrorCode(err) != casus.EUNAUTHENTICATED || casus.ErrorMessage(err) != msgInvalid {
			t.Errorf("%s: identity %+v, err %v; want UNAUTHENTICATED %q", name, id, err, msgInvalid)
		}
	}
}

func TestValidMunicipalities(t *testing.T) {
	for _, codes := range [][]string{nil, {}, {"GM0358"}, {"GM0358", "GM0362", "GM0384", "GM0437", "GM0451"}} {
		if !validMunicipalities(codes) {
			t.Errorf("validMunicipalities(%q) = false", codes)
		}
	}
	for _, codes := range [][]string{{""}, {"GM036"}, {"GM03620"}, {"gm0362"}, {"GM03x2"}, {"PV0027"}, {"GM0362", "bad"}, {"GM０３６２"}} {
		if validMunicipalities(codes) {
			t.Errorf("validMunicipalities(%q) = true", codes)
		}
	}
}
