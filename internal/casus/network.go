package casus

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// NodeKind is the kind of object a network node stands for.
type NodeKind string

// Node kinds.
const (
	NodePerson       NodeKind = "PERSON"
	NodeCase         NodeKind = "CASE"
	NodeGroup        NodeKind = "GROUP"
	NodeOrganisation NodeKind = "ORGANISATION"
)

// Relation is a kind of tie in the network.
type Relation string

// Relations. Ties between persons are RELATIVE and CONTACT; the others tie
// persons to groups and cases, and cases to the organisations that work on
// them (through an intervention).
const (
	RelRelative Relation = "RELATIVE"
	RelContact  Relation = "CONTACT"
	RelMember   Relation = "MEMBER_OF"
	RelSubject  Relation = "SUBJECT_OF"
	RelPartner  Relation = "PARTNER_IN"
)

// Relations lists every relation.
var Relations = []Relation{RelRelative, RelContact, RelMember, RelSubject, RelPartner}

// PersonRelations are the ties between persons.
var PersonRelations = []Relation{RelRelative, RelContact}

// NetworkNode is one object in a network result.
type NetworkNode struct {
	Kind NodeKind
	ID   string
	// Label is a name or a case reference; empty for a redacted node.
	Label string
	// Redacted is set for a person reached through a tie but outside the
	// caller's scope: only its id is given, and the network does not go on
	// through it.
	Redacted bool
	// NonSubject is set for a person shown who is no subject of any case:
	// a relative or contact the analysis swept in.
	NonSubject bool
	// Restricted is set, beside Redacted, for a person the caller could read
	// but whose processing is restricted on their request (AVG art. 18):
	// analyses leave them out until the restriction is lifted.
	Restricted bool
	// Depth is how many ties from the nearest start node.
	Depth int
}

// Key identifies the node among nodes of every kind.
func (n *NetworkNode) Key() string { return string(n.Kind) + ":" + n.ID }

// NetworkEdge is one tie in a network result, with its provenance.
type NetworkEdge struct {
	ID       string
	Relation Relation
	From, To NodeRef
	// Kind is the relative kind (for RELATIVE: From is Kind of To) or the
	// contact role (for CONTACT: To is From's Kind).
	Kind       string
	Network    Network    // CONTACT only
	Since      *time.Time // when the tie began, if known
	Source     string     // who reported it (CONTACT)
	Confidence float64    // how sure the source is, 0 to 1 (CONTACT)
	// Concealed is set when the tie touches a person at level 0: it shows
	// only its relation (see Conceal).
	Concealed bool
}

// NodeRef points at a node.
type NodeRef struct {
	Kind NodeKind
	ID   string
}

// Key identifies the node it points at.
func (r NodeRef) Key() string { return string(r.Kind) + ":" + r.ID }

// NetworkGraph is a network result: nodes, the ties among them, and whether
// a limit cut it short.
type NetworkGraph struct {
	Nodes     []*NetworkNode
	Edges     []*NetworkEdge
	Truncated bool
	// PurposeCases are the cases the analysis serves, and Question the
	// question it answers: what it was for, as the access log records it.
	PurposeCases []string
	Question     string
}

// Timeline returns the ties with a known start, oldest first: how the
// network grew.
func (g *NetworkGraph) Timeline() []*NetworkEdge {
	var out []*NetworkEdge
	for _, e := range g.Edges {
		if e.Since != nil {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b *NetworkEdge) int { return a.Since.Compare(*b.Since) })
	return out
}

// NetworkQuery asks for the neighbourhood of some persons.
type NetworkQuery struct {
	// Purpose is what the analysis is for.
	Purpose   AnalysisPurpose
	From      []string // person ids
	Depth     int
	Relations []Relation
	Networks  []Network
	// Since and Until keep only ties that began in that window; ties with
	// an unknown start are kept only when neither is given.
	Since, Until *time.Time
	Limit        int
}

// Network query bounds.
const (
	MaxNetworkDepth  = 4
	MaxNetworkLimit  = 5000
	DefNetworkLimit  = 500
	MaxNetworkStarts = 50
	MaxPathDepth     = 10
)

// Validate checks the query and fills in defaults: depth 2, every
// relation, both networks, limit 500.
func (q *NetworkQuery) Validate() error {
	if len(q.From) == 0 || len(q.From) > MaxNetworkStarts {
		return Invalid("from", "give 1 to %d persons to start from", MaxNetworkStarts)
	}
	if err := q.Purpose.Validate(); err != nil {
		return err
	}
	if q.Depth == 0 {
		q.Depth = 2
	}
	if q.Depth < 1 || q.Depth > MaxNetworkDepth {
		return Invalid("depth", "depth must be 1 to %d", MaxNetworkDepth)
	}
	if q.Limit == 0 {
		q.Limit = DefNetworkLimit
	}
	if q.Limit < 1 || q.Limit > MaxNetworkLimit {
		return Invalid("limit", "limit must be 1 to %d", MaxNetworkLimit)
	}
	if len(q.Relations) == 0 {
		q.Relations = Relations
	}
	for _, r := range q.Relations {
		if !slices.Contains(Relations, r) {
			return Invalid("relations", "unknown relation %q", r)
		}
	}
	for _, n := range q.Networks {
		if !n.Valid() {
			return Invalid("networks", "unknown network %q", n)
		}
	}
	if q.Since != nil && q.Until != nil && q.Until.Before(*q.Since) {
		return Invalid("until", "until is before since")
	}
	return nil
}

// PersonRef is a person an analysis found, by id; Redacted when the person
// is outside the caller's scope, so that only the id may be shown.
type PersonRef struct {
	ID       string
	Redacted bool
}

// Bridge is a person tied, directly or through one contact, to the
// subjects of several cases: how a recruiter shows up.
type Bridge struct {
	PersonID string
	// Redacted is set when the person is outside the caller's scope.
	Redacted bool
	// CaseIDs are the visible cases it reaches, DirectCaseIDs those whose
	// subject it is tied to directly.
	CaseIDs, DirectCaseIDs []string
}

// AnalysisScope is the part of the network a centrality or community
// computation runs on: the neighbourhood of some persons, or the persons of
// one municipality, always only what the caller may see.
type AnalysisScope struct {
	Purpose      AnalysisPurpose
	From         []string
	Depth        int
	Municipality string
	Limit        int
}

// AnalysisPurpose is what a network analysis is for: a case it serves, or a
// question an analyst or coordinator records. Analyses sweep in people who
// are no subject of any case, so each names its purpose, and is logged with
// it. An analysis from persons who are subjects of cases the caller may read
// serves those cases when it names nothing else.
type AnalysisPurpose struct {
	CaseID   string
	Question string
}

// MinQuestion is the shortest question an analysis may record.
const MinQuestion = 10

// Validate checks and trims the purpose.
func (p *AnalysisPurpose) Validate() error {
	p.Question = strings.TrimSpace(p.Question)
	if p.Question != "" && (len(p.Question) < MinQuestion || len(p.Question) > MaxReason) {
		return Invalid("question", "record the question in %d to %d characters", MinQuestion, MaxReason)
	}
	return nil
}

// Validate checks the scope and fills in defaults.
func (s *AnalysisScope) Validate() error {
	if (len(s.From) == 0) == (s.Municipality == "") {
		return Invalid("scope", "give either persons to start from or a municipality")
	}
	if err := s.Purpose.Validate(); err != nil {
		return err
	}
	if s.Municipality != "" && s.Purpose.Question == "" {
		return Invalid("question", "a municipality-wide analysis records the question it answers")
	}
	if s.Limit == 0 {
		s.Limit = MaxNetworkLimit
	}
	if s.Limit < 1 || s.Limit > 20000 {
		return Invalid("scope.limit", "limit must be 1 to 20000")
	}
	if len(s.From) > 0 {
		q := NetworkQuery{From: s.From, Depth: s.Depth, Relations: PersonRelations, Limit: min(s.Limit, MaxNetworkLimit)}
		if err := q.Validate(); err != nil {
			return err
		}
		s.Depth = q.Depth
	}
	return nil
}

// NetworkService answers network questions within the caller's scope.
type NetworkService interface {
	// Network returns the neighbourhood the query asks for.
	Network(ctx context.Context, q NetworkQuery) (*NetworkGraph, error)
	// ShortestPaths returns every shortest path of person ties between two
	// persons through persons the caller may see, as person ids, and the
	// ties on them.
	ShortestPaths(ctx context.Context, from, to string, maxDepth int, relations []Relation) ([][]string, *NetworkGraph, error)
	// CommonContacts returns the persons tied to both a and b, those
	// outside the caller's scope redacted; a person whose processing is
	// restricted is neither returned nor followed.
	CommonContacts(ctx context.Context, a, b string) ([]PersonRef, error)
	// Bridges returns persons tied to the subjects of at least minCases
	// visible cases, most cases first.
	Bridges(ctx context.Context, minCases, limit int) ([]Bridge, error)
	// Subgraph returns the persons and person ties of scope.
	Subgraph(ctx context.Context, scope AnalysisScope) (*NetworkGraph, error)
	// PossibleDuplicates returns pairs of visible persons that may be the
	// same person, most alike first.
	PossibleDuplicates(ctx context.Context, minScore float64, limit int) ([]*DuplicatePair, error)
}

// DuplicatePair is two person records that may be the same person.
type DuplicatePair struct {
	A, B string
	// Score is how alike they are, from 0 to 1.
	Score float64
	// Reasons say what matched, e.g. "same birth date".
	Reasons []string
}

// NameKey normalises a name for comparison: lower case, without
// diacritics, punctuation or repeated spaces ("Özdemir-El Amrani" and
// "ozdemir el amrani" have the same key).
func NameKey(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	plain, _, err := transform.String(t, s)
	if err != nil {
		plain = s
	}
	var b strings.Builder
	for _, r := range strings.ToLower(plain) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// NameSimilarity returns how alike two names are, from 0 (nothing alike) to
// 1 (the same after NameKey), by edit distance.
func NameSimilarity(a, b string) float64 {
	a, b = NameKey(a), NameKey(b)
	if a == "" || b == "" {
		return 0
	}
	longest := max(utf8.RuneCountInString(a), utf8.RuneCountInString(b))
	return 1 - float64(levenshtein.ComputeDistance(a, b))/float64(longest)
}
