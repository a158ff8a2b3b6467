package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"casusnet/internal/auth"
	"casusnet/internal/casus"
	"casusnet/internal/neo4j"
	"casusnet/internal/server"
)

// devPassword is the development default for the local Neo4j started by
// `make neo4j-up`. It is accepted only in development mode.
const devPassword = "casusnet-dev"

// devPseudonymKey is a development default, for the local demo data only:
// a deployment sets its own secret in CASUSNET_PSEUDONYM_KEY.
const devPseudonymKey = "casusnet-development-pseudonym-key-not-for-production"

// config is the whole configuration of one run.
type config struct {
	Neo4j          neo4j.Config
	Addr           string
	Dev            bool
	LogLevel       zerolog.Level
	AllowedOrigins []string
	OIDCIssuer     string
	OIDCAudience   string
	OIDCClientID   string
	DevSigningKey  string
	// PseudonymKey pseudonymises the persons the access log names.
	PseudonymKey []byte
	// Register is the register of processing activities.
	Register *casus.Register
	// WebDir, when set, serves the web client from this directory instead
	// of the files built into the binary (for working on the client).
	WebDir string
	// UserLimit and AddressLimit bound requests per user and per client
	// address; zero values take the server's defaults.
	UserLimit, AddressLimit server.RateLimit
	// DebugAddr, when set, serves Go's profiles (pprof) and the Prometheus
	// metrics there: a private address, never the public one.
	DebugAddr string
	// Retention is how long closed cases are kept.
	Retention retentionPeriod
	// LogRetention is how long access log entries are kept.
	LogRetention retentionPeriod
	// OTLPEndpoint, when set, receives traces over OTLP/HTTP.
	OTLPEndpoint string
}

// retentionPeriod is a period in years, months and days, as "5y", "18m"
// or "400d".
type retentionPeriod struct{ years, months, days int }

func parseRetention(s string) (retentionPeriod, error) {
	if len(s) < 2 {
		return retentionPeriod{}, fmt.Errorf("want a number and y, m or d, e.g. 5y")
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 1 {
		return retentionPeriod{}, fmt.Errorf("want a positive number and y, m or d, e.g. 5y")
	}
	switch s[len(s)-1] {
	case 'y':
		return retentionPeriod{years: n}, nil
	case 'm':
		return retentionPeriod{months: n}, nil
	case 'd':
		return retentionPeriod{days: n}, nil
	}
	return retentionPeriod{}, fmt.Errorf("want y, m or d after the number, e.g. 5y")
}

// before returns the moment the period ends before now.
func (p retentionPeriod) before(now time.Time) time.Time {
	return now.AddDate(-p.years, -p.months, -p.days)
}

// envVar documents one environment variable; the README's table follows it.
type envVar struct {
	name, flag, def, usage string
}

var envVars = []envVar{
	{"NEO4J_URI", "neo4j-uri", "bolt://127.0.0.1:7687", "Neo4j address (bolt:// or neo4j:// for a cluster)"},
	{"NEO4J_USER", "neo4j-user", "neo4j", "Neo4j user"},
	{"NEO4J_PASSWORD", "neo4j-password", "", "Neo4j password; required unless CASUSNET_DEV=true"},
	{"NEO4J_DATABASE", "neo4j-database", "", "Neo4j database; empty for the server's default"},
	{"CASUSNET_ADDR", "addr", ":8080", "HTTP listen address"},
	{"CASUSNET_DEV", "dev", "false", "development mode: sign in as a demo user, introspection, development password"},
	{"CASUSNET_LOG_LEVEL", "log-level", "info", "debug, info, warn or error"},
	{"CASUSNET_ALLOWED_ORIGINS", "allowed-origins", "", "comma-separated browser origins allowed to open websockets"},
	{"CASUSNET_OIDC_ISSUER", "oidc-issuer", "", "OIDC issuer whose tokens are accepted; required unless CASUSNET_DEV=true"},
	{"CASUSNET_OIDC_AUDIENCE", "oidc-audience", "casusnet", "the audience (client id) tokens must be issued for"},
	{"CASUSNET_OIDC_CLIENT_ID", "oidc-client-id", "casusnet-web", "the web client's (public) client id at the OIDC issuer, for sign-in with PKCE"},
	{"CASUSNET_WEB_DIR", "web-dir", "", "serve the web client from this directory instead of the built-in files (for client development)"},
	{"CASUSNET_DEV_SIGNING_KEY", "dev-signing-key", "", "development only: the key of development tokens (default: a fixed development key)"},
	{"CASUSNET_USER_LIMIT", "user-limit", "20/60", "requests (and websocket connections) per second per user, and the burst allowed, as rate/burst"},
	{"CASUSNET_RETENTION", "retention", "5y", "how long closed cases are kept before the retention command removes them: 5y, 18m or 400d"},
	{"CASUSNET_LOG_RETENTION", "log-retention", "10y", "how long access log entries are kept before the retention command removes them (longer than the data they are about)"},
	{"CASUSNET_OTLP_ENDPOINT", "otlp-endpoint", "", "send OpenTelemetry traces over OTLP/HTTP to this URL, e.g. http://collector:4318 (empty: off)"},
	{"CASUSNET_DEBUG_ADDR", "debug-addr", "", "serve Go's pprof profiles on this address, e.g. 127.0.0.1:6060; keep it private (empty: off)"},
	{"CASUSNET_ADDRESS_LIMIT", "address-limit", "50/150", "requests per second per client address, and the burst allowed, as rate/burst"},
	{"CASUSNET_PSEUDONYM_KEY", "pseudonym-key", "", "the secret (at least 32 characters) under which the access log pseudonymises the persons it names; required unless CASUSNET_DEV=true"},
	{"CASUSNET_REGISTER", "register", "", "a JSON file with the register of processing activities (empty: casusnet's default register, which every register must include)"},
	{"CASUSNET_STAGNATION_DAYS", "stagnation-days", "42", "a goal of a plan of action whose actions did not move for this many days is stagnating (shown on the dashboard)"},
}

// parseConfig reads the environment, then the flags of fs from args, and
// checks every value, so that a bad one fails at start with its name.
func parseConfig(fs *flag.FlagSet, args []string, getenv func(string) string) (config, error) {
	vals := map[string]*string{}
	for _, v := range envVars {
		def := v.def
		if e := getenv(v.name); e != "" {
			def = e
		}
		vals[v.name] = fs.String(v.flag, def, v.usage+" ($"+v.name+")")
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	get := func(name string) string { return strings.TrimSpace(*vals[name]) }

	var cfg config
	var errs []error
	dev, err := strconv.ParseBool(get("CASUSNET_DEV"))
	if err != nil {
		errs = append(errs, fmt.Errorf("CASUSNET_DEV %q: want true or false", get("CASUSNET_DEV")))
	}
	cfg.Dev = dev
	cfg.LogLevel, err = zerolog.ParseLevel(get("CASUSNET_LOG_LEVEL"))
	if err != nil || get("CASUSNET_LOG_LEVEL") == "" {
		errs = append(errs, fmt.Errorf("CASUSNET_LOG_LEVEL %q: want debug, info, warn or error", get("CASUSNET_LOG_LEVEL")))
	}
	if cfg.Retention, err = parseRetention(get("CASUSNET_RETENTION")); err != nil {
		errs = append(errs, fmt.Errorf("CASUSNET_RETENTION %q: %w", get("CASUSNET_RETENTION"), err))
	}
	if cfg.LogRetention, err = parseRetention(get("CASUSNET_LOG_RETENTION")); err != nil {
		errs = append(errs, fmt.Errorf("CASUSNET_LOG_RETENTION %q: %w", get("CASUSNET_LOG_RETENTION"), err))
	} else if cfg.LogRetention.before(time.Now()).After(cfg.Retention.before(time.Now())) {
		errs = append(errs, errors.New("CASUSNET_LOG_RETENTION: keep the access log at least as long as the data (CASUSNET_RETENTION)"))
	}
	cfg.OTLPEndpoint = get("CASUSNET_OTLP_ENDPOINT")
	if e := cfg.OTLPEndpoint; e != "" && !strings.HasPrefix(e, "http://") && !strings.HasPrefix(e, "https://") {
		errs = append(errs, fmt.Errorf("CASUSNET_OTLP_ENDPOINT %q: want a URL like http://collector:4318", e))
	}
	cfg.DebugAddr = get("CASUSNET_DEBUG_ADDR")
	if _, _, err := net.SplitHostPort(cfg.DebugAddr); cfg.DebugAddr != "" && err != nil {
		errs = append(errs, fmt.Errorf("CASUSNET_DEBUG_ADDR %q: want host:port, e.g. 127.0.0.1:6060", cfg.DebugAddr))
	}
	cfg.Addr = get("CASUSNET_ADDR")
	if _, port, err := net.SplitHostPort(cfg.Addr); err != nil {
		errs = append(errs, fmt.Errorf("CASUSNET_ADDR %q: want host:port, e.g. :8080", cfg.Addr))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		errs = append(errs, fmt.Errorf("CASUSNET_ADDR %q: bad port", cfg.Addr))
	}
	for _, o := range strings.Split(get("CASUSNET_ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			if !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") {
				errs = append(errs, fmt.Errorf("CASUSNET_ALLOWED_ORIGINS: %q is not an origin like https://casus.example.nl", o))
			}
			cfg.AllowedOrigins = append(cfg.AllowedOrigins, o)
		}
	}
	cfg.Neo4j = neo4j.Config{
		URI:      get("NEO4J_URI"),
		User:     get("NEO4J_USER"),
		Password: *vals["NEO4J_PASSWORD"],
		Database: get("NEO4J_DATABASE"),
	}
	if days, err := strconv.Atoi(get("CASUSNET_STAGNATION_DAYS")); err != nil || days < 1 {
		errs = append(errs, fmt.Errorf("CASUSNET_STAGNATION_DAYS %q: want a positive number of days", get("CASUSNET_STAGNATION_DAYS")))
	} else {
		cfg.Neo4j.Stagnation = time.Duration(days) * 24 * time.Hour
	}
	if cfg.Neo4j.Password == "" {
		if cfg.Dev {
			cfg.Neo4j.Password = devPassword
		} else {
			errs = append(errs, errors.New("NEO4J_PASSWORD is required (only development mode has a default)"))
		}
	}
	if err := cfg.Neo4j.Validate(); err != nil {
		errs = append(errs, err)
	}
	cfg.OIDCIssuer, cfg.OIDCAudience = get("CASUSNET_OIDC_ISSUER"), get("CASUSNET_OIDC_AUDIENCE")
	cfg.OIDCClientID, cfg.WebDir = get("CASUSNET_OIDC_CLIENT_ID"), get("CASUSNET_WEB_DIR")
	cfg.DevSigningKey = *vals["CASUSNET_DEV_SIGNING_KEY"]
	if path := get("CASUSNET_REGISTER"); path != "" {
		b, err := os.ReadFile(path)
		if err == nil {
			cfg.Register, err = casus.ParseRegister(b)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("CASUSNET_REGISTER %q: %w", path, err))
		}
	}
	switch key := *vals["CASUSNET_PSEUDONYM_KEY"]; {
	case key == "" && cfg.Dev:
		cfg.PseudonymKey = []byte(devPseudonymKey)
	case key == "":
		errs = append(errs, errors.New("CASUSNET_PSEUDONYM_KEY is required (only development mode has a default)"))
	case len(key) < 32:
		errs = append(errs, errors.New("CASUSNET_PSEUDONYM_KEY: use at least 32 characters of a random secret"))
	default:
		cfg.PseudonymKey = []byte(key)
	}
	switch {
	case cfg.OIDCIssuer != "" && !strings.HasPrefix(cfg.OIDCIssuer, "https://") && !cfg.Dev:
		errs = append(errs, fmt.Errorf("CASUSNET_OIDC_ISSUER %q: want an https:// URL", cfg.OIDCIssuer))
	case cfg.OIDCIssuer == "" && !cfg.Dev:
		errs = append(errs, errors.New("CASUSNET_OIDC_ISSUER is required (only development mode signs its own tokens)"))
	case cfg.DevSigningKey != "" && !cfg.Dev:
		errs = append(errs, errors.New("CASUSNET_DEV_SIGNING_KEY is for development mode only"))
	}
	for name, limit := range map[string]*server.RateLimit{"CASUSNET_USER_LIMIT": &cfg.UserLimit, "CASUSNET_ADDRESS_LIMIT": &cfg.AddressLimit} {
		rate, burst, ok := strings.Cut(get(name), "/")
		r, err1 := strconv.ParseFloat(rate, 64)
		b, err2 := strconv.Atoi(burst)
		if !ok || err1 != nil || err2 != nil || r <= 0 || b < 1 {
			errs = append(errs, fmt.Errorf("%s %q: want rate/burst, e.g. 20/60", name, get(name)))
			continue
		}
		*limit = server.RateLimit{PerSecond: r, Burst: b}
	}
	if cfg.Dev && cfg.DevSigningKey == "" {
		cfg.DevSigningKey = auth.DevSigningKey
	}
	return cfg, errors.Join(errs...)
}

// newLogger returns a JSON logger, or a human-readable one when w is a terminal.
func newLogger(w io.Writer, level zerolog.Level) zerolog.Logger {
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
		}
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}
