package server

import (
	"encoding/json"
	"net/http"
	"time"

	"casusnet/internal/auth"
	"casusnet/internal/casus"
)

// SignIn tells the web client how its users sign in: if DevUsers are given
// (development mode only), by picking one of them, for whom the server issues
// a development token signed with DevKey; otherwise through the OIDC issuer's authorization-code
// flow with PKCE, as the public client ClientID.
type SignIn struct {
	DevUsers []auth.Identity
	DevKey   []byte
	Issuer   string
	ClientID string
}

// devTokenTTL is how long a development sign-in lasts: a working day.
const devTokenTTL = 8 * time.Hour

type devUser struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Role           string   `json:"role"`
	Municipalities []string `json:"municipalities"`
	Organisation   string   `json:"organisation,omitempty"`
}

// signInConfig answers GET /auth/config: the development users, or the OIDC
// issuer and client id.
func signInConfig(s SignIn) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(s.DevUsers) > 0 {
			users := make([]devUser, 0, len(s.DevUsers))
			for _, u := range s.DevUsers {
				users = append(users, devUser{ID: u.Actor.ID, Name: u.Actor.Name, Role: u.Actor.Role,
					Municipalities: append([]string{}, u.Municipalities...), Organisation: u.OrganisationID})
			}
			writeJSON(w, http.StatusOK, map[string]any{"dev": true, "users": users})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"dev": false, "oidc": map[string]string{
			"issuer": s.Issuer, "clientId": s.ClientID, "scope": "openid profile"}})
	})
}

// devToken answers POST /auth/dev/token {"user": id} with a development
// token for that demo user. It is served only when there are DevUsers.
func devToken(s SignIn) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			User string `json:"user"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeAppError(w, casus.Invalid("user", "send {\"user\": \"<id>\"}"))
			return
		}
		for _, u := range s.DevUsers {
			if u.Actor.ID != req.User {
				continue
			}
			now := time.Now()
			tok, err := auth.IssueDevToken(s.DevKey, u, devTokenTTL, now)
			if err != nil {
				writeAppError(w, casus.Errorf(casus.EINTERNAL, "cannot sign in: %v", err))
				return
			}
			writeJSON(w, http.StatusOK, map[string]string{"token": tok, "expiresAt": now.Add(devTokenTTL).UTC().Format(time.RFC3339)})
			return
		}
		writeAppError(w, casus.Errorf(casus.ENOTFOUND, "no demo user %q", req.User))
	})
}
