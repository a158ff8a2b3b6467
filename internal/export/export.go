// Package export writes network results in the formats of link-analysis
// tools: GraphML (Gephi, yEd, Cytoscape desktop), CSV entities and links for
// i2 Analyst's Notebook's import, and Cytoscape.js JSON.
package export

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"

	"casusnet/internal/casus"
)

// Format is an export format.
type Format string

// Formats.
const (
	GraphML   Format = "graphml"
	I2        Format = "i2"
	Cytoscape Format = "cytoscape"
)

// Formats lists every format.
var Formats = []Format{GraphML, I2, Cytoscape}

// ContentType returns the media type of f's files.
func (f Format) ContentType() string {
	switch f {
	case GraphML:
		return "application/graphml+xml"
	case I2:
		return "application/zip"
	}
	return "application/json"
}

// Extension returns the file name extension of f.
func (f Format) Extension() string {
	switch f {
	case GraphML:
		return "graphml"
	case I2:
		return "zip"
	}
	return "json"
}

// IDs names nodes in an export; the API's global ids keep exports and API
// results comparable.
type IDs func(casus.NodeRef) string

// Write writes g to w in format f.
func Write(w io.Writer, f Format, g *casus.NetworkGraph, id IDs) error {
	switch f {
	case GraphML:
		return writeGraphML(w, g, id)
	case I2:
		return writeI2(w, g, id)
	case Cytoscape:
		return writeCytoscape(w, g, id)
	}
	return casus.Invalid("format", "unknown export format %q", f)
}

func ref(n *casus.NetworkNode) casus.NodeRef { return casus.NodeRef{Kind: n.Kind, ID: n.ID} }

func since(e *casus.NetworkEdge) string {
	if e.Since == nil {
		return ""
	}
	return e.Since.Format(time.DateOnly)
}

func confidence(e *casus.NetworkEdge) string {
	if e.Relation != casus.RelContact || e.Concealed {
		return ""
	}
	return strconv.FormatFloat(e.Confidence, 'f', -1, 64)
}

// GraphML.

type graphmlDoc struct {
	XMLName xml.Name     `xml:"graphml"`
	XMLNS   string       `xml:"xmlns,attr"`
	Keys    []graphmlKey `xml:"key"`
	Graph   graphmlGraph `xml:"graph"`
}

type graphmlKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type graphmlGraph struct {
	ID          string        `xml:"id,attr"`
	EdgeDefault string        `xml:"edgedefault,attr"`
	Nodes       []graphmlNode `xml:"node"`
	Edges       []graphmlEdge `xml:"edge"`
}

type graphmlNode struct {
	ID   string        `xml:"id,attr"`
	Data []graphmlData `xml:"data"`
}

type graphmlEdge struct {
	ID     string        `xml:"id,attr"`
	Source string        `xml:"source,attr"`
	Target string        `xml:"target,attr"`
	Data   []graphmlData `xml:"data"`
}

type graphmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

func data(pairs ...string) []graphmlData {
	var out []graphmlData
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			out = append(out, graphmlData{Key: pairs[i], Value: pairs[i+1]})
		}
	}
	return out
}

func writeGraphML(w io.Writer, g *casus.NetworkGraph, id IDs) error {
	doc := graphmlDoc{XMLNS: "http://graphml.graphdrawing.org/xmlns", Graph: graphmlGraph{ID: "casusnet", EdgeDefault: "directed"}}
	for _, k := range [][3]string{
		{"kind", "node", "string"}, {"label", "node", "string"}, {"redacted", "node", "boolean"}, {"depth", "node", "int"},
		{"nonSubject", "node", "boolean"}, {"restricted", "node", "boolean"},
		{"relation", "edge", "string"}, {"tieKind", "edge", "string"}, {"network", "edge", "string"},
		{"since", "edge", "string"}, {"source", "edge", "string"}, {"confidence", "edge", "double"},
	} {
		doc.Keys = append(doc.Keys, graphmlKey{ID: k[0], For: k[1], Name: k[0], Type: k[2]})
	}
	for _, n := range g.Nodes {
		doc.Graph.Nodes = append(doc.Graph.Nodes, graphmlNode{ID: id(ref(n)), Data: data(
			"kind", string(n.Kind), "label", n.Label, "redacted", strconv.FormatBool(n.Redacted), "depth", strconv.Itoa(n.Depth),
			"nonSubject", strconv.FormatBool(n.NonSubject), "restricted", strconv.FormatBool(n.Restricted))})
	}
	for i, e := range g.Edges {
		doc.Graph.Edges = append(doc.Graph.Edges, graphmlEdge{ID: fmt.Sprintf("e%d", i), Source: id(e.From), Target: id(e.To), Data: data(
			"relation", string(e.Relation), "tieKind", e.Kind, "network", string(e.Network), "since", since(e),
			"source", e.Source, "confidence", confidence(e))})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	return enc.Encode(doc)
}

// i2 Analyst's Notebook: a zip of entities.csv and links.csv, one header
// row each, laid out for its tabular import (an import specification maps
// "Entity ID" to the identity, "Entity Type" to the icon, "Label" to the
// label, and links by "From Entity ID" and "To Entity ID").

// EntityColumns and LinkColumns are the header rows of the i2 files.
var (
	EntityColumns = []string{"Entity ID", "Entity Type", "Label", "Redacted", "Depth", "Non-subject", "Restricted"}
	LinkColumns   = []string{"Link ID", "From Entity ID", "To Entity ID", "Link Type", "Kind", "Network", "Since", "Source", "Confidence"}
)

func writeI2(w io.Writer, g *casus.NetworkGraph, id IDs) error {
	z := zip.NewWriter(w)
	write := func(name string, rows [][]string) error {
		f, err := z.Create(name)
		if err != nil {
			return err
		}
		c := csv.NewWriter(f)
		if err := c.WriteAll(rows); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		return nil
	}
	entities := [][]string{EntityColumns}
	for _, n := range g.Nodes {
		entities = append(entities, []string{id(ref(n)), string(n.Kind), n.Label, strconv.FormatBool(n.Redacted), strconv.Itoa(n.Depth),
			strconv.FormatBool(n.NonSubject), strconv.FormatBool(n.Restricted)})
	}
	links := [][]string{LinkColumns}
	for i, e := range g.Edges {
		links = append(links, []string{fmt.Sprintf("e%d", i), id(e.From), id(e.To), string(e.Relation), e.Kind, string(e.Network),
			since(e), e.Source, confidence(e)})
	}
	if err := write("entities.csv", entities); err != nil {
		return err
	}
	if err := write("links.csv", links); err != nil {
		return err
	}
	return z.Close()
}

// Cytoscape.js: {"elements": {"nodes": [{"data": …}], "edges": [{"data": …}]}}.

type cyElement struct {
	Data map[string]any `json:"data"`
}

func writeCytoscape(w io.Writer, g *casus.NetworkGraph, id IDs) error {
	var doc struct {
		Elements struct {
			Nodes []cyElement `json:"nodes"`
			Edges []cyElement `json:"edges"`
		} `json:"elements"`
	}
	doc.Elements.Nodes, doc.Elements.Edges = []cyElement{}, []cyElement{}
	for _, n := range g.Nodes {
		d := map[string]any{"id": id(ref(n)), "kind": n.Kind, "redacted": n.Redacted, "depth": n.Depth, "nonSubject": n.NonSubject, "restricted": n.Restricted}
		if n.Label != "" {
			d["label"] = n.Label
		}
		doc.Elements.Nodes = append(doc.Elements.Nodes, cyElement{d})
	}
	for i, e := range g.Edges {
		d := map[string]any{"id": fmt.Sprintf("e%d", i), "source": id(e.From), "target": id(e.To), "relation": e.Relation}
		for k, v := range map[string]string{"kind": e.Kind, "network": string(e.Network), "since": since(e), "reportedBy": e.Source} {
			if v != "" {
				d[k] = v
			}
		}
		if e.Relation == casus.RelContact && !e.Concealed {
			d["confidence"] = e.Confidence
		}
		doc.Elements.Edges = append(doc.Elements.Edges, cyElement{d})
	}
	enc := json.NewEncoder(w)
	return enc.Encode(doc)
}
