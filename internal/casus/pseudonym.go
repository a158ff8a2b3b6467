package casus

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// Pseudonyms names persons at information level 0 (see scope.go): that
// someone exists there, without who. A pseudonym is stable within one
// answer, so that a network's nodes and ties line up, and unlinkable across
// answers, since every answer makes its own Pseudonyms with a fresh key.
type Pseudonyms struct{ key [32]byte }

// NewPseudonyms returns pseudonyms under a fresh random key.
func NewPseudonyms() *Pseudonyms {
	p := &Pseudonyms{}
	if _, err := rand.Read(p.key[:]); err != nil {
		panic("casus: no randomness for pseudonyms: " + err.Error()) // crypto/rand does not fail on supported platforms
	}
	return p
}

// Of returns the pseudonym of id: "~" and 16 letters and digits.
func (p *Pseudonyms) Of(id string) string {
	m := hmac.New(sha256.New, p.key[:])
	m.Write([]byte(id))
	return "~" + strings.ToLower(base32.StdEncoding.EncodeToString(m.Sum(nil))[:16])
}

// IsPseudonym reports whether id is a pseudonym rather than a real id.
func IsPseudonym(id string) bool { return strings.HasPrefix(id, "~") }

// Conceal lowers the persons of g outside the caller's scope to level 0:
// each gets a pseudonym from p, and every tie that touches one keeps only
// its relation (not its role or kind, network, start, source or
// confidence, which are facts about that person) under a pseudonym of its
// own.
func (g *NetworkGraph) Conceal(p *Pseudonyms) {
	if g == nil {
		return
	}
	hidden := map[string]bool{}
	for _, n := range g.Nodes {
		if n.Redacted && n.Kind == NodePerson {
			hidden[n.Key()] = true
			n.ID, n.Label = p.Of(n.ID), ""
		}
	}
	for _, e := range g.Edges {
		from, to := hidden[e.From.Key()], hidden[e.To.Key()]
		if !from && !to {
			continue
		}
		if from {
			e.From.ID = p.Of(e.From.ID)
		}
		if to {
			e.To.ID = p.Of(e.To.ID)
		}
		*e = NetworkEdge{ID: p.Of("tie:" + e.ID), Relation: e.Relation, From: e.From, To: e.To, Concealed: true}
	}
}
