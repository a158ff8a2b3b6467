// Package load drives a running casusnet from outside, for the benchmarks
// and the soak: it starts the server as a child process, waits until it is
// ready, sends GraphQL requests as a given user, and summarises latencies.
package load

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"casusnet/internal/auth"
	"casusnet/internal/casus"
)

// Env is the environment of a casusnet started for load: development mode
// (development tokens), warnings only, no rate limits (the load comes from
// one address), and the local Neo4j's development password unless one is set.
func Env(getenv func(string) string, extra ...string) []string {
	env := append(os.Environ(), "CASUSNET_DEV=true", "CASUSNET_LOG_LEVEL=warn",
		"CASUSNET_USER_LIMIT=1000000/1000000", "CASUSNET_ADDRESS_LIMIT=1000000/1000000")
	if getenv("NEO4J_PASSWORD") == "" {
		env = append(env, "NEO4J_PASSWORD=casusnet-dev")
	}
	return append(env, extra...)
}

// Process is a server started as a child process.
type Process struct {
	Cmd  *exec.Cmd
	Addr string // host:port
}

// URL returns the server's address for path.
func (p *Process) URL(path string) string { return "http://" + p.Addr + path }

// Start starts bin with args (the address is appended as "--addr host:port"
// on a free port) and env, and waits until readyPath answers 200.
func Start(ctx context.Context, bin string, args, env []string, readyPath string, stderr io.Writer) (*Process, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append(slices.Clone(args), "--addr", addr)...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, stderr, stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	p := &Process{Cmd: cmd, Addr: addr}
	if err := WaitReady(ctx, p.URL(readyPath)); err != nil {
		_ = p.Stop()
		return nil, err
	}
	return p, nil
}

// Stop asks the process to stop (SIGTERM) and waits for it, killing it
// after 30 seconds.
func (p *Process) Stop() error {
	_ = p.Cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.Cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		_ = p.Cmd.Process.Kill()
		return errors.Join(errors.New("did not stop in 30 s; killed"), <-done)
	}
}

// RSS returns the process's resident memory in bytes, or 0 if it cannot
// be read.
func (p *Process) RSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.Cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// WaitReady waits up to two minutes until url answers 200.
func WaitReady(ctx context.Context, url string) error {
	for range 1200 {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready after two minutes", url)
}

// Token returns a development token for a, valid for a day.
func Token(a casus.Actor) string {
	tok, err := auth.IssueDevToken([]byte(auth.DevSigningKey), auth.Identity{Actor: a}, 24*time.Hour, time.Now())
	if err != nil {
		panic(err) // only for actors the caller wrote down wrongly
	}
	return tok
}

// Client sends GraphQL requests to one server as one user.
type Client struct {
	URL   string // the GraphQL endpoint
	Token string // bearer token; none when empty
	HTTP  *http.Client
}

// Error is a GraphQL error answer, with its extensions.code.
type Error struct {
	Code, Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Do sends query with vars and decodes the answer's data into out (if not
// nil). A GraphQL error answer is an *Error; a transport failure or a status
// other than 200 is another error.
func (c *Client) Do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var answer struct {
		Data   json.RawMessage
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	if len(answer.Errors) > 0 {
		return &Error{Code: answer.Errors[0].Extensions.Code, Message: answer.Errors[0].Message}
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if out != nil {
		return json.Unmarshal(answer.Data, out)
	}
	return nil
}

// Percentile returns the p-th percentile (0 < p ≤ 100, nearest rank) of ds,
// which it sorts; zero for none.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(float64(len(ds))*p/100+0.999999) - 1
	return ds[max(0, min(i, len(ds)-1))]
}

// Ms formats d in milliseconds with one decimal.
func Ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
