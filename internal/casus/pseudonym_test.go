package casus

import (
	"testing"
	"time"
)

func TestConceal(t *testing.T) {
	since := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	graph := func() *NetworkGraph {
		return &NetworkGraph{
			Nodes: []*NetworkNode{{Kind: NodePerson, ID: "seen", Label: "Anna"}, {Kind: NodePerson, ID: "hidden", Redacted: true}},
			Edges: []*NetworkEdge{
				{ID: "t1", Relation: RelContact, From: NodeRef{NodePerson, "seen"}, To: NodeRef{NodePerson, "hidden"},
					Kind: "RECRUITER", Network: NetworkInformal, Since: &since, Source: "politie", Confidence: 0.9},
				{ID: "t2", Relation: RelContact, From: NodeRef{NodePerson, "seen"}, To: NodeRef{NodePerson, "seen"}, Kind: "FRIEND", Source: "s"},
			},
		}
	}
	p := NewPseudonyms()
	g := graph()
	g.Conceal(p)
	hidden, tie := g.Nodes[1], g.Edges[0]
	if !IsPseudonym(hidden.ID) || hidden.ID != tie.To.ID || g.Nodes[0].ID != "seen" {
		t.Fatalf("nodes %+v %+v, tie %+v", g.Nodes[0], hidden, tie)
	}
	if tie.Kind != "" || tie.Network != "" || tie.Since != nil || tie.Source != "" || tie.Confidence != 0 || tie.ID == "t1" || tie.Relation != RelContact {
		t.Fatalf("a tie to a hidden person keeps facts about them: %+v", tie)
	}
	if g.Edges[1].Kind != "FRIEND" || g.Edges[1].ID != "t2" {
		t.Fatalf("a tie between seen persons changed: %+v", g.Edges[1])
	}
	again := graph()
	again.Conceal(NewPseudonyms())
	if again.Nodes[1].ID == hidden.ID {
		t.Fatal("the same person has the same pseudonym in two answers")
	}
}
