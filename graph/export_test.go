package graph_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"casusnet/internal/export"
)

// get fetches a path of the server with the api's token.
func (a *api) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestExports downloads a network result in every format, parses each file
// back, and finds the download in the access log; callers outside the scope
// get nothing.
func TestExports(t *testing.T) {
	a := newAPI(t, networkRegion())
	analyst := a.as(analystA)
	var out struct {
		Network struct {
			Nodes   []netNode
			Edges   []netEdge
			Exports []struct{ Format, URL string }
		}
	}
	analyst.must(`query($from: [ID!]!) { network(from: $from, depth: 2, relations: [CONTACT, RELATIVE, SUBJECT_OF]) {
		nodes { id label redacted } edges { from to } exports { format url } } }`,
		map[string]any{"from": []string{gid("Person", "p-s1")}}, &out)
	nodes, edges := len(out.Network.Nodes), len(out.Network.Edges)
	if len(out.Network.Exports) != 3 || nodes != 6 {
		t.Fatalf("network: %d nodes, exports %+v", nodes, out.Network.Exports)
	}
	redacted := gid("Person", "p-f")
	for _, link := range out.Network.Exports {
		status, body := analyst.get(t, link.URL)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", link.URL, status, body)
		}
		switch link.Format {
		case "GRAPHML":
			var doc struct {
				Graph struct {
					Nodes []struct {
						ID   string `xml:"id,attr"`
						Data []struct {
							Key   string `xml:"key,attr"`
							Value string `xml:",chardata"`
						} `xml:"data"`
					} `xml:"node"`
					Edges []struct {
						Source string `xml:"source,attr"`
						Target string `xml:"target,attr"`
					} `xml:"edge"`
				} `xml:"graph"`
			}
			if err := xml.Unmarshal(body, &doc); err != nil {
				t.Fatalf("GraphML does not parse: %v", err)
			}
			if len(doc.Graph.Nodes) != nodes || len(doc.Graph.Edges) != edges {
				t.Errorf("GraphML: %d nodes, %d edges; want %d, %d", len(doc.Graph.Nodes), len(doc.Graph.Edges), nodes, edges)
			}
			for _, n := range doc.Graph.Nodes {
				if n.ID == redacted && slices.ContainsFunc(n.Data, func(d struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				}) bool {
					return d.Key == "label"
				}) {
					t.Errorf("GraphML shows the redacted person's label")
				}
			}
		case "I2":
			z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
			if err != nil {
				t.Fatalf("i2 zip: %v", err)
			}
			rows := map[string][][]string{}
			for _, f := range z.File {
				r, _ := f.Open()
				recs, err := csv.NewReader(r).ReadAll()
				r.Close()
				if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				rows[f.Name] = recs
			}
			if len(rows["entities.csv"]) != nodes+1 || len(rows["links.csv"]) != edges+1 {
				t.Errorf("i2: %d entity rows, %d link rows", len(rows["entities.csv"]), len(rows["links.csv"]))
			}
			for _, r := range rows["entities.csv"] {
				if len(r) != len(export.EntityColumns) {
					t.Errorf("entity row %v", r)
				}
				if r[0] == redacted && r[2] != "" {
					t.Errorf("i2 shows the redacted person's label %q", r[2])
				}
			}
			for _, r := range rows["links.csv"] {
				if len(r) != len(export.LinkColumns) {
					t.Errorf("link row %v", r)
				}
			}
		case "CYTOSCAPE":
			var doc struct {
				Elements struct {
					Nodes, Edges []struct{ Data map[string]any }
				}
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatalf("Cytoscape JSON: %v", err)
			}
			if len(doc.Elements.Nodes) != nodes || len(doc.Elements.Edges) != edges {
				t.Errorf("Cytoscape: %d nodes, %d edges", len(doc.Elements.Nodes), len(doc.Elements.Edges))
			}
		}
	}

	var log struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					Action  string
					Objects []string
				}
			}
		}
	}
	a.as(actors["auditor"]).must(`{ auditLog(filter: {user: "u-analyst-a"}) { edges { node { action objects } } } }`, nil, &log)
	exports := 0
	for _, e := range log.AuditLog.Edges {
		if e.Node.Action == "EXPORT" {
			exports++
			if !slices.Contains(e.Node.Objects, personObject("p-s1")) || !slices.Contains(e.Node.Objects, "Case:case-1") || slices.Contains(e.Node.Objects, personObject("p-f")) {
				t.Errorf("export entry objects = %v", e.Node.Objects)
			}
		}
	}
	if exports != 3 {
		t.Errorf("%d EXPORT entries, want 3", exports)
	}

	url := out.Network.Exports[0].URL
	for name, c := range map[string]struct {
		api  *api
		path string
		want int
	}{
		"mayor":             {a.as(networkMayor), url, http.StatusForbidden},
		"other analyst":     {a.as(analystB), url, http.StatusNotFound},
		"no token":          {&api{t: t, srv: a.srv}, url, http.StatusUnauthorized},
		"unknown format":    {analyst, strings.Replace(url, "format=graphml", "format=pdf", 1), http.StatusBadRequest},
		"bad depth":         {analyst, strings.Replace(url, "depth=2", "depth=x", 1), http.StatusBadRequest},
		"unknown export":    {analyst, "/export/everything?format=graphml", http.StatusNotFound},
		"path out of reach": {analyst, "/export/paths?format=graphml&from=" + gid("Person", "p-s1") + "&to=" + gid("Person", "p-s3"), http.StatusNotFound},
	} {
		if status, body := c.api.get(t, c.path); status != c.want || !strings.Contains(string(body), `"code"`) {
			t.Errorf("%s: %d %s, want %d with a code", name, status, body, c.want)
		}
	}
	if status, _ := analyst.get(t, "/export/paths?format=cytoscape&from="+gid("Person", "p-s1")+"&to="+gid("Person", "p-s2")); status != http.StatusOK {
		t.Errorf("paths export: %d", status)
	}
}
