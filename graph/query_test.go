package graph_test

import (
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
)

// queryRegion is smallRegion with cases, a group, ties and signals.
func queryRegion() demo.Data {
	d := smallRegion()
	d.Municipalities = append(d.Municipalities, demo.Municipality{Code: "GM0384", Name: "Diemen", Inhabitants: 32000})
	d.Persons = append(d.Persons, demo.Person{ID: "p-3", FirstName: "Bram", LastName: "Anders", Aliases: []string{"Bakker"}, Municipality: "GM0384"})
	d.Relatives = []demo.Relative{{From: "p-1", To: "p-2", Kind: "SIBLING"}}
	d.Contacts = []demo.Contact{{From: "p-1", To: "p-3", Network: "INFORMAL", Role: "RECRUITER", Source: "politie", Confidence: 0.7,
		Since: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}}
	d.Groups = []demo.Group{{ID: "grp-1", Name: "Chatgroep", Members: []string{"p-1", "p-3"}}}
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	d.Cases = []demo.Case{
		{ID: "case-1", Reference: "AM-2026-0001", Municipality: "GM0451", Subjects: []string{"p-1"}, RiskGroups: []casus.RiskGroup{"RECRUITER", "RADICALISING"},
			Ideology: "JIHADIST", RiskLevel: "HIGH", Phase: "EXECUTION", EscalationLevel: "AVZ", DirectorID: "dir-1",
			Summary: "Ronselaar in beeld", OpenedAt: at, NextReview: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
		{ID: "case-2", Reference: "AM-2026-0002", Municipality: "GM0384", GroupID: "grp-1", RiskGroups: []casus.RiskGroup{"RADICALISING"},
			Ideology: "RIGHT_WING", RiskLevel: "LOW", Phase: "REGISTERED", EscalationLevel: "LOCAL",
			Summary: "Chatgroep met extreemrechtse memes", OpenedAt: at.Add(time.Hour), NextReview: time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)},
	}
	d.Signals = []demo.Signal{
		{ID: "sig-1", ReporterName: "Docent", OrganisationID: "org-jw", Municipality: "GM0451", Description: "Zorgen", Status: "CASE_OPENED",
			About: []string{"p-1"}, CaseID: "case-1", ReceivedAt: at.Add(-time.Hour)},
		{ID: "sig-2", ReporterName: "Buurtagent", Municipality: "GM0384", OrganisationID: "org-jw", Description: "Nieuw", Status: "NEW",
			About: []string{"p-3"}, ReceivedAt: at},
	}
	return d
}

func TestQueries(t *testing.T) {
	a := newAPI(t, queryRegion())

	// Filters on cases.
	count := func(filter string) int {
		t.Helper()
		var out struct{ Cases struct{ TotalCount int } }
		a.must(`{ cases(filter: `+filter+`) { totalCount } }`, nil, &out)
		return out.Cases.TotalCount
	}
	for filter, want := range map[string]int{
		`{}`:                                             2,
		`{municipality: "GM0384"}`:                       1,
		`{phase: EXECUTION}`:                             1,
		`{riskGroup: RECRUITER}`:                         1,
		`{riskGroup: RADICALISING}`:                      2,
		`{ideology: RIGHT_WING}`:                         1,
		`{escalationLevel: AVZ}`:                         1,
		`{overdueReview: true}`:                          1,
		`{overdueReview: false}`:                         1,
		`{search: "ronselaar"}`:                          1,
		`{search: "am-2026-000"}`:                        2,
		`{search: "AM-2026-0002", phase: REGISTERED}`:    1,
		`{director: "` + gid("Director", "dir-1") + `"}`: 1,
	} {
		if got := count(filter); got != want {
			t.Errorf("cases(filter: %s) = %d, want %d", filter, got, want)
		}
	}
	if r := a.do(`{ cases(filter: {director: "nonsense"}) { totalCount } }`, nil, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["field"] != "filter.director" {
		t.Errorf("bad director filter: %+v", r.Errors)
	}

	// One case, all its edges.
	var one struct {
		Case struct {
			Reference     string
			ReviewOverdue bool
			Subjects      []struct {
				FullName  string
				Relatives []struct {
					Kind   string
					Person struct{ FirstName string }
				}
				Contacts []struct {
					Role, Network string
					To            struct{ LastName string }
				}
				Groups []struct{ Name string }
				Cases  []struct{ Reference string }
			}
			Director struct {
				Name           string
				OpenCaseCount  int
				Municipalities []struct{ Code string }
			}
			Signals []struct{ ReporterName string }
		}
	}
	a.must(`query($id: ID!) { case(id: $id) { reference reviewOverdue
		subjects { fullName relatives { kind person { firstName } } contacts { role network to { lastName } } groups { name } cases { reference } }
		director { name openCaseCount municipalities { code } } signals { reporterName } } }`,
		map[string]any{"id": gid("Case", "case-1")}, &one)
	c := one.Case
	if c.Reference != "AM-2026-0001" || !c.ReviewOverdue || len(c.Subjects) != 1 || c.Director.OpenCaseCount != 1 || len(c.Signals) != 1 {
		t.Fatalf("case = %+v", c)
	}
	s := c.Subjects[0]
	if len(s.Relatives) != 1 || s.Relatives[0].Kind != "SIBLING" || len(s.Contacts) != 1 || s.Contacts[0].Role != "RECRUITER" ||
		len(s.Groups) != 1 || len(s.Cases) != 2 {
		t.Fatalf("subject = %+v (cases: directly and through the group)", s)
	}

	// node and nodes resolve every kind of object by global id.
	for _, id := range []string{gid("Case", "case-1"), gid("Person", "p-1"), gid("Signal", "sig-2"), gid("Group", "grp-1"),
		gid("Municipality", "GM0451"), gid("Organisation", "org-jw"), gid("Director", "dir-1"), gid("InterventionOffering", "off-1")} {
		var out struct{ Node struct{ ID string } }
		a.must(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, &out)
		if out.Node.ID != id {
			t.Errorf("node(%s).id = %q", id, out.Node.ID)
		}
	}
	for _, id := range []string{gid("Case", "case-404"), "not-base64!", gid("Nope", "x"), gid("Person", "case-1")} {
		r := a.do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, nil)
		if code, _ := errCode(t, r); code != "NOT_FOUND" {
			t.Errorf("node(%q): %s, want NOT_FOUND", id, code)
		}
	}
	var many struct{ Nodes []*struct{ ID string } }
	a.must(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{gid("Case", "case-2"), gid("Case", "case-404")}}, &many)
	if len(many.Nodes) != 2 || many.Nodes[0] == nil || many.Nodes[1] != nil {
		t.Fatalf("nodes = %+v, want the case and a null", many.Nodes)
	}

	// Persons by name prefix, alias included; signals by status.
	var ps struct {
		Persons struct {
			TotalCount int
			Edges      []struct{ Node struct{ FirstName string } }
		}
	}
	a.must(`{ persons(filter: {name: "bak"}) { totalCount edges { node { firstName } } } }`, nil, &ps)
	if ps.Persons.TotalCount != 1 || ps.Persons.Edges[0].Node.FirstName != "Bram" {
		t.Fatalf("persons by alias = %+v", ps)
	}
	a.must(`{ persons(filter: {name: "VOORBEELD"}) { totalCount edges { node { firstName } } } }`, nil, &ps)
	if ps.Persons.TotalCount != 2 {
		t.Fatalf("persons by last name = %+v", ps)
	}
	var sigs struct {
		Signals struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Status string
					About  []struct{ FirstName string }
					Case   *struct{ Reference string }
				}
			}
		}
	}
	a.must(`{ signals(filter: {status: NEW}) { totalCount edges { node { status about { firstName } case { reference } } } } }`, nil, &sigs)
	if sigs.Signals.TotalCount != 1 || sigs.Signals.Edges[0].Node.Case != nil || sigs.Signals.Edges[0].Node.About[0].FirstName != "Bram" {
		t.Fatalf("new signals = %+v", sigs)
	}

	// The directory.
	var dir struct {
		Municipalities []struct{ Name string }
		Organisations  []struct {
			Name      string
			Offerings []struct{ Name string }
		}
		Directors []struct{ Organisation struct{ Name string } }
		Offerings []struct {
			TargetRiskGroups []string
			Provider         struct{ Name string }
		}
	}
	a.must(`{ municipalities { name } organisations { name offerings { name } } directors { organisation { name } } offerings { targetRiskGroups provider { name } } }`, nil, &dir)
	if len(dir.Municipalities) != 2 || dir.Municipalities[0].Name != "Diemen" || len(dir.Organisations) != 5 ||
		len(dir.Directors) != 1 || dir.Directors[0].Organisation.Name != "AVZ" || dir.Offerings[0].Provider.Name != "Jongerenwerk" {
		t.Fatalf("directory = %+v", dir)
	}
	var orgs []string
	for _, o := range dir.Organisations {
		orgs = append(orgs, o.Name+":"+strings.Repeat("*", len(o.Offerings)))
	}
	if strings.Join(orgs, ",") != "AVZ:,Gemeente:,Jongerenwerk:*,OM:,Politie:" {
		t.Fatalf("organisations with offerings = %v", orgs)
	}
}
