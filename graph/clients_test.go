package graph_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var npmOnce sync.Once

// wsClientsDir returns the directory of the Node clients, with their npm
// packages installed (from the lock file, once per test run).
func wsClientsDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "wsclients"))
	if err != nil {
		t.Fatal(err)
	}
	var installErr error
	npmOnce.Do(func() {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-ws")); err == nil {
			return
		}
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			installErr = err
			t.Logf("npm ci: %s", out)
		}
	})
	if installErr != nil {
		t.Fatalf("install the Node clients (npm ci in %s): %v", dir, installErr)
	}
	return dir
}

// nodeClient is a Node process subscribed with a real client library.
type nodeClient struct {
	t     *testing.T
	lines chan map[string]any
}

// startNode subscribes to caseEvents through the library for proto, after
// the cursor after, until count events arrived.
func (a *api) startNode(t *testing.T, proto, after string, count int) *nodeClient {
	t.Helper()
	url := "ws" + strings.TrimPrefix(a.srv.URL, "http") + "/graphql"
	cmd := exec.Command("node", "client.mjs", url, a.token, proto, after, strconv.Itoa(count))
	cmd.Dir = wsClientsDir(t)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start node (is Node.js installed?): %v", err)
	}
	c := &nodeClient{t: t, lines: make(chan map[string]any, 16)}
	go func() { // ends when the process closes its output
		defer close(c.lines)
		s := bufio.NewScanner(out)
		for s.Scan() {
			var m map[string]any
			if err := json.Unmarshal(s.Bytes(), &m); err != nil {
				m = map[string]any{"error": "not JSON: " + s.Text()}
			}
			c.lines <- m
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		for range c.lines {
		}
		_ = cmd.Wait()
	})
	return c
}

// next returns the client's next line; an error line fails the test.
func (c *nodeClient) next() map[string]any {
	c.t.Helper()
	select {
	case m, ok := <-c.lines:
		if !ok {
			c.t.Fatal("the Node client ended early")
		}
		if m["error"] != nil {
			c.t.Fatalf("the Node client failed: %v", m["error"])
		}
		return m
	case <-time.After(time.Minute):
		c.t.Fatal("no line from the Node client")
	}
	return nil
}

// event returns the next event's type, cursor and case reference.
func (c *nodeClient) event() (string, string, string) {
	c.t.Helper()
	e, ok := c.next()["event"].(map[string]any)
	if !ok {
		c.t.Fatal("expected an event")
	}
	ref, _ := e["case"].(map[string]any)["reference"].(string)
	return e["type"].(string), e["cursor"].(string), ref
}

// TestNodeClients drives both subprotocols with the client libraries web
// clients use (graphql-ws; subscriptions-transport-ws for the legacy
// protocol): live events, then a resume with the last cursor that replays
// exactly the missed events before live ones.
func TestNodeClients(t *testing.T) {
	for _, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		t.Run(proto, func(t *testing.T) {
			a := newAPI(t, accessRegion())
			c := a.startNode(t, proto, "", 1)
			if m := c.next(); m["connected"] != true || m["protocol"] != proto {
				t.Fatalf("connected: %v", m)
			}
			waitFor(t, "the subscription", func() bool { return a.hub.Events.Subscribers() == 1 })
			a.escalate(t, "case-a")
			typ, cursor, ref := c.event()
			if typ != "ESCALATED" || ref != "AM-2026-0001" {
				t.Fatalf("live event = %s %s", typ, ref)
			}

			a.escalate(t, "case-b") // missed while away
			a.deescalate(t, "case-a")
			r := a.startNode(t, proto, cursor, 3)
			var got []string
			for i := 0; i < 2; i++ {
				if i == 0 {
					if m := r.next(); m["connected"] != true {
						t.Fatalf("connected: %v", m)
					}
				}
				typ, _, ref := r.event()
				got = append(got, typ+" "+ref)
			}
			if strings.Join(got, ", ") != "ESCALATED AM-2026-0002, DEESCALATED AM-2026-0001" {
				t.Fatalf("replayed %v", got)
			}
			a.escalate(t, "case-b")
			if typ, _, ref := r.event(); typ != "ESCALATED" || ref != "AM-2026-0002" {
				t.Fatalf("live after the replay = %s %s", typ, ref)
			}
		})
	}
}
