package gonum

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"casusnet/internal/casus"
)

// net builds a person network from ties written "a-b".
func net(ties ...string) *casus.NetworkGraph {
	g := &casus.NetworkGraph{}
	seen := map[string]bool{}
	person := func(id string) casus.NodeRef {
		if !seen[id] {
			seen[id] = true
			g.Nodes = append(g.Nodes, &casus.NetworkNode{Kind: casus.NodePerson, ID: id})
		}
		return casus.NodeRef{Kind: casus.NodePerson, ID: id}
	}
	for _, t := range ties {
		a, b, _ := strings.Cut(t, "-")
		g.Edges = append(g.Edges, &casus.NetworkEdge{Relation: casus.RelContact, From: person(a), To: person(b)})
	}
	return g
}

func render(scores []Score) string {
	var s []string
	for _, x := range scores {
		s = append(s, fmt.Sprintf("%s=%.4g", x.ID, x.Score))
	}
	return strings.Join(s, " ")
}

// TestCentrality checks each measure against values worked out by hand.
func TestCentrality(t *testing.T) {
	path := net("a-b", "b-c", "c-d", "d-e")
	star := net("h-1", "h-2", "h-3", "h-4")
	cycle := net("a-b", "b-c", "c-d", "d-e", "e-a")
	for _, c := range []struct {
		name string
		g    *casus.NetworkGraph
		m    Measure
		want string
	}{
		// Path a-b-c-d-e: c lies on the paths of (a,d), (a,e), (b,d), (b,e).
		{"path degree", path, Degree, "b=2 c=2 d=2 a=1 e=1"},
		{"path betweenness", path, Betweenness, "c=4 b=3 d=3 a=0 e=0"},
		// Star: the hub lies on the path of each of the C(4,2) = 6 pairs of leaves.
		{"star betweenness", star, Betweenness, "h=6 1=0 2=0 3=0 4=0"},
		// Star K1,4: λ = 2, and a leaf is the hub over λ.
		{"star eigenvector", star, Eigenvector, "h=1 1=0.5 2=0.5 3=0.5 4=0.5"},
		// Path of five: eigenvector (1, √3, 2, √3, 1)/2 for λ = √3.
		{"path eigenvector", path, Eigenvector, "c=1 b=0.866 d=0.866 a=0.5 e=0.5"},
		// A cycle is symmetric: every node equal.
		{"cycle pagerank", cycle, PageRank, "a=0.2 b=0.2 c=0.2 d=0.2 e=0.2"},
		{"cycle eigenvector", cycle, Eigenvector, "a=1 b=1 c=1 d=1 e=1"},
		{"empty", &casus.NetworkGraph{}, Betweenness, ""},
	} {
		got, err := Centrality(c.g, c.m)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if render(got) != c.want {
			t.Errorf("%s = %s, want %s", c.name, render(got), c.want)
		}
	}
	// PageRank on the star: the hub has the most, and the scores sum to 1.
	pr, _ := Centrality(star, PageRank)
	sum := 0.0
	for _, s := range pr {
		sum += s.Score
	}
	if pr[0].ID != "h" || math.Abs(sum-1) > 1e-9 {
		t.Errorf("star pagerank = %s (sum %v)", render(pr), sum)
	}
	if _, err := Centrality(path, "CLOSENESS"); casus.ErrorCode(err) != casus.EINVALID {
		t.Errorf("unknown measure: %v", err)
	}
}

// TestCommunities finds the two triangles of two triangles joined by one
// tie. Modularity by hand: m = 7 ties; each triangle has 3 inner ties and
// degree sum 7, so Q = 2 (3/7 - (7/14)²) = 5/14.
func TestCommunities(t *testing.T) {
	g := net("a-b", "b-c", "c-a", "d-e", "e-f", "f-d", "c-d")
	parts, q := Communities(g)
	if fmt.Sprint(parts) != "[[a b c] [d e f]]" || math.Abs(q-5.0/14) > 1e-9 {
		t.Fatalf("communities = %v, Q = %v; want the two triangles, 5/14", parts, q)
	}
	// The same network in another order gives the same answer.
	again, _ := Communities(net("f-d", "c-d", "e-f", "a-b", "d-e", "c-a", "b-c"))
	if fmt.Sprint(again) != fmt.Sprint(parts) {
		t.Fatalf("order changed the communities: %v", again)
	}
	if parts, q := Communities(&casus.NetworkGraph{}); parts != nil || q != 0 {
		t.Fatalf("empty network: %v %v", parts, q)
	}
}

// BenchmarkCentrality measures the measures on a network of 5,000 persons
// (the largest analysis scope by default).
func BenchmarkCentrality(b *testing.B) {
	g := benchNetwork(5000)
	for _, m := range []Measure{Degree, PageRank, Eigenvector, Betweenness} {
		b.Run(string(m), func(b *testing.B) {
			for b.Loop() {
				if _, err := Centrality(g, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("communities", func(b *testing.B) {
		for b.Loop() {
			Communities(g)
		}
	})
}

// benchNetwork is n persons in villages of 50, each tied to 4 villagers
// and one in ten to someone elsewhere.
func benchNetwork(n int) *casus.NetworkGraph {
	var ties []string
	for i := 0; i < n; i++ {
		v := i / 50 * 50
		for k := 1; k <= 2; k++ {
			ties = append(ties, fmt.Sprintf("p%d-p%d", i, v+(i-v+k*7)%50))
		}
		if i%10 == 0 {
			ties = append(ties, fmt.Sprintf("p%d-p%d", i, (i*7919)%n))
		}
	}
	return net(ties...)
}
