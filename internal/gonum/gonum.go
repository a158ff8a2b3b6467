// Package gonum computes centrality and communities of a network result
// with gonum's graph algorithms (gonum.org/v1/gonum/graph/network and
// .../community). The network comes from the database already cut to what
// the caller may see; nothing here reads data.
package gonum

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/multi"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"

	"casusnet/internal/casus"
)

// Measure is a centrality measure.
type Measure string

// Measures.
const (
	Degree      Measure = "DEGREE"
	Betweenness Measure = "BETWEENNESS"
	PageRank    Measure = "PAGERANK"
	Eigenvector Measure = "EIGENVECTOR"
)

// Score is a node's score under a measure.
type Score struct {
	ID    string
	Score float64
}

// undirected is a person network as gonum graphs, with the string ids of
// its nodes.
type undirected struct {
	g   *simple.UndirectedGraph
	ids []string
}

// build turns the persons and person ties of g into a gonum graph; ties
// between the same two persons count once, self-ties not at all.
func build(g *casus.NetworkGraph) undirected {
	u := undirected{g: simple.NewUndirectedGraph()}
	index := map[string]int64{}
	keys := make([]string, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		if n.Kind == casus.NodePerson {
			keys = append(keys, n.ID)
		}
	}
	slices.Sort(keys) // the same result whatever order the nodes came in
	keys = slices.Compact(keys)
	for i, k := range keys {
		index[k] = int64(i)
		u.ids = append(u.ids, k)
		u.g.AddNode(simple.Node(i))
	}
	for _, e := range g.Edges {
		from, ok1 := index[e.From.ID]
		to, ok2 := index[e.To.ID]
		if !ok1 || !ok2 || from == to || e.From.Kind != casus.NodePerson || e.To.Kind != casus.NodePerson {
			continue
		}
		u.g.SetEdge(simple.Edge{F: simple.Node(from), T: simple.Node(to)})
	}
	return u
}

// directed returns u with every tie in both directions, for the measures
// gonum defines on directed graphs.
func (u undirected) directed() *simple.DirectedGraph {
	d := simple.NewDirectedGraph()
	for i := range u.ids {
		d.AddNode(simple.Node(i))
	}
	edges := u.g.Edges()
	for edges.Next() {
		e := edges.Edge()
		d.SetEdge(simple.Edge{F: e.From(), T: e.To()})
		d.SetEdge(simple.Edge{F: e.To(), T: e.From()})
	}
	return d
}

// shifted returns u with every tie both ways and a self-loop on every
// node: the adjacency matrix A+I.
func (u undirected) shifted() *multi.DirectedGraph {
	d := multi.NewDirectedGraph()
	for i := range u.ids {
		n := multi.Node(i)
		d.AddNode(n)
		d.SetLine(d.NewLine(n, n))
	}
	edges := u.g.Edges()
	for edges.Next() {
		e := edges.Edge()
		d.SetLine(d.NewLine(e.From(), e.To()))
		d.SetLine(d.NewLine(e.To(), e.From()))
	}
	return d
}

// Centrality scores every person of g under m, highest first, ties broken
// by id.
//
//   - DEGREE counts a person's distinct ties.
//   - BETWEENNESS counts, over unordered pairs of other persons, the share
//     of their shortest paths that pass through the person (Brandes, as
//     gonum's network.Betweenness, which counts ordered pairs, halved).
//   - PAGERANK is gonum's PageRank with damping 0.85 on the ties taken both
//     ways; the scores sum to 1.
//   - EIGENVECTOR is the principal eigenvector of the adjacency matrix A,
//     scaled so that the highest is 1, computed as gonum's HITS authority of
//     A+I: for a symmetric matrix that is the principal eigenvector of
//     (A+I)², which is A's, and the shift by I keeps bipartite networks
//     (a star, a chain) from having two equally large eigenvalues.
func Centrality(g *casus.NetworkGraph, m Measure) ([]Score, error) {
	u := build(g)
	scores := make([]float64, len(u.ids))
	if len(u.ids) > 0 {
		switch m {
		case Degree:
			for i := range u.ids {
				scores[i] = float64(u.g.From(int64(i)).Len())
			}
		case Betweenness:
			for id, b := range network.Betweenness(u.g) {
				scores[id] = b / 2
			}
		case PageRank:
			for id, r := range network.PageRankSparse(u.directed(), 0.85, 1e-10) {
				scores[id] = r
			}
		case Eigenvector:
			top := 0.0
			for id, ha := range network.HITS(u.shifted(), 1e-12) {
				scores[id] = ha.Authority
				top = max(top, ha.Authority)
			}
			if top > 0 {
				for i := range scores {
					scores[i] /= top
				}
			}
		default:
			return nil, casus.Invalid("measure", "unknown measure %q", m)
		}
	} else if !slices.Contains([]Measure{Degree, Betweenness, PageRank, Eigenvector}, m) {
		return nil, casus.Invalid("measure", "unknown measure %q", m)
	}
	out := make([]Score, len(u.ids))
	for i, id := range u.ids {
		// Iterative measures differ in the last digits between equal
		// nodes; rounding keeps ties tied and the order stable.
		out[i] = Score{ID: id, Score: math.Round(scores[i]*1e9) / 1e9}
	}
	slices.SortStableFunc(out, func(a, b Score) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Communities partitions the persons of g with gonum's Louvain
// (community.Modularize, resolution 1) from a fixed seed, so that the same
// network always gives the same partition. Communities come largest first
// (then by their first member), members sorted; Q is the partition's
// modularity.
func Communities(g *casus.NetworkGraph) (communities [][]string, q float64) {
	u := build(g)
	if len(u.ids) == 0 {
		return nil, 0
	}
	reduced := community.Modularize(u.g, 1, rand.NewPCG(1, 2))
	parts := reduced.Communities()
	for _, part := range parts {
		members := make([]string, len(part))
		for i, n := range part {
			members[i] = u.ids[n.ID()]
		}
		slices.Sort(members)
		communities = append(communities, members)
	}
	slices.SortFunc(communities, func(a, b []string) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return cmp.Compare(a[0], b[0])
	})
	return communities, community.Q(u.g, parts, 1)
}
