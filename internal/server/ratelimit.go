package server

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"casusnet/internal/casus"
)

// RateLimit is a sustained rate with a burst.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// Default rate limits: generous for people and dashboards, tight enough that
// one client cannot starve the others.
var (
	DefaultUserLimit    = RateLimit{PerSecond: 20, Burst: 60}
	DefaultAddressLimit = RateLimit{PerSecond: 50, Burst: 150}
)

// limiter keeps a token bucket per key (a user or an address), and forgets
// keys idle for a while so that memory stays bounded.
type limiter struct {
	limit RateLimit
	mu    sync.Mutex
	keys  map[string]*bucket
	swept time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

const limiterIdle = 10 * time.Minute

func newLimiter(l RateLimit) *limiter {
	return &limiter{limit: l, keys: map[string]*bucket{}}
}

// allow takes a token for key, or says how long to wait for one.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > limiterIdle {
		for k, b := range l.keys {
			if now.Sub(b.seen) > limiterIdle {
				delete(l.keys, k)
			}
		}
		l.swept = now
	}
	b, ok := l.keys[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(l.limit.PerSecond), l.limit.Burst)}
		l.keys[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// rateLimited answers 429 when the key of a request is over its limit.
func rateLimited(l *limiter, what string, key func(*http.Request) string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := key(r)
		if k == "" {
			next.ServeHTTP(w, r)
			return
		}
		if ok, wait := l.allow(k, time.Now()); !ok {
			secs := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", fmt.Sprint(secs))
			writeError(w, http.StatusTooManyRequests, codeRateLimited,
				fmt.Sprintf("too many requests from this %s; retry in %d s", what, secs))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func addressOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func userOf(r *http.Request) string {
	a, _ := casus.ActorFrom(r.Context())
	return a.ID
}

// codeRateLimited is the code of a request refused for its rate.
const codeRateLimited = "RATE_LIMITED"
