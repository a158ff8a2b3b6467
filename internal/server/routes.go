package server

import (
	"casusnet/internal/auth"
	"casusnet/internal/casus"
	"casusnet/internal/web"
	"context"
	"net/http"
	"time"
)

// routes is every endpoint of the server, each behind the guards it needs:
// the per-address and per-user rate budgets (one each, shared by every
// endpoint), the bearer token, break-glass, the client's address for the
// access log, and the metrics of its route.
func routes(cfg Config, met *metrics, gql http.Handler, services casus.Services, verifier auth.Verifier, audit casus.AuditLog, ready ReadyFunc) *http.ServeMux {
	mux := http.NewServeMux()
	if cfg.UserLimit == (RateLimit{}) {
		cfg.UserLimit = DefaultUserLimit
	}
	if cfg.AddressLimit == (RateLimit{}) {
		cfg.AddressLimit = DefaultAddressLimit
	}
	// One budget per user and one per address across every endpoint that
	// reads personal data, so that spreading requests over /graphql,
	// /report and /export buys nothing.
	byUser, byAddress := newLimiter(cfg.UserLimit), newLimiter(cfg.AddressLimit)
	guarded := func(route string, h http.Handler) http.Handler {
		perUser := rateLimited(byUser, "user", userOf, breakGlass(withClient(h)))
		return met.observe(route, rateLimited(byAddress, "address", addressOf, auth.Middleware(verifier)(perUser)))
	}
	mux.Handle("/graphql", guarded("/graphql", withBookmarks(cfg.Bookmarks, gql)))
	logged := accessLog{audit, cfg.PseudonymKey}
	mux.Handle("GET /report/{case}", guarded("/report", finalReport(services, logged)))
	mux.Handle("GET /export/", guarded("/export", exportNetwork(services.NetworkService, logged)))
	mux.Handle("GET /dossier/{person}", guarded("/dossier", dossier(services.DossierService, services.DirectoryService, logged)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	mux.Handle("GET /auth/config", signInConfig(cfg.SignIn))
	if len(cfg.SignIn.DevUsers) > 0 {
		mux.Handle("POST /auth/dev/token", rateLimited(byAddress, "address", addressOf, devToken(cfg.SignIn)))
	}
	if cfg.Web != nil {
		mux.Handle("/", web.Handler(cfg.Web, cfg.SignIn.Issuer))
	}
	return mux
}
