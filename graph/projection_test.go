package graph_test

import (
	"testing"
)

// TestCostlyMembersFollowTheWholeOperation: a director's open-case count
// and an intervention's subject names are read only when the operation asks
// for them, but wherever it asks: two root fields that reach the same
// director, one asking for the count and one not, both answer it right.
func TestCostlyMembersFollowTheWholeOperation(t *testing.T) {
	a := newAPI(t, queryRegion())
	var out struct {
		Cases struct {
			Edges []struct {
				Node struct {
					Reference string
					Director  *struct{ ID string }
				}
			}
		}
		Case struct {
			Director struct {
				ID            string
				OpenCaseCount int
			}
		}
	}
	for range 3 {
		a.must(`query($id: ID!) {
			cases(first: 5) { edges { node { reference director { id } } } }
			case(id: $id) { director { ...Load } } }
			fragment Load on Director { id openCaseCount }`, map[string]any{"id": gid("Case", "case-1")}, &out)
		if out.Case.Director.ID != gid("Director", "dir-1") || out.Case.Director.OpenCaseCount != 1 {
			t.Fatalf("case-1's director: %+v", out.Case.Director)
		}
	}
	// Without the count anywhere, the page still names the directors.
	var page struct {
		Cases struct {
			Edges []struct {
				Node struct{ Director *struct{ Name string } }
			}
		}
	}
	a.must(`{ cases(first: 5) { edges { node { director { name } } } } }`, nil, &page)
	named := 0
	for _, e := range page.Cases.Edges {
		if e.Node.Director != nil && e.Node.Director.Name != "" {
			named++
		}
	}
	if named == 0 {
		t.Fatalf("no director named on the page: %+v", page)
	}
}

// TestCaseTiesStayInScope: one case with its subjects' ties, read in one
// statement, holds the caller's scope: a case outside it answers NOT_FOUND
// and nothing else, and one inside it shows the ties and the persons at
// their ends that the caller may see.
func TestCaseTiesStayInScope(t *testing.T) {
	a := newAPI(t, probeRegion())
	dir := a.as(diemenDirector)
	const q = `query($id: ID!) { case(id: $id) { reference subjects { fullName
		relatives { person { fullName } } contacts { from { fullName } to { id fullName redacted } } } } }`
	r := dir.do(q, map[string]any{"id": gid("Case", "case-a")}, nil)
	if code, _ := refusal(t, r); code != "NOT_FOUND" || string(r.Data) != `{"case":null}` {
		t.Fatalf("another municipality's case: %s, data %s", code, r.Data)
	}
	var out struct {
		Case struct {
			Subjects []struct {
				FullName string
				Contacts []struct {
					From struct{ FullName string }
					To   struct {
						ID, FullName string
						Redacted     bool
					}
				}
			}
		}
	}
	before := a.db.Queries()
	dir.must(q, map[string]any{"id": gid("Case", "case-d")}, &out)
	if used := a.db.Queries() - before; used != 2 {
		t.Errorf("%d round trips for the case and its ties; want 2 (the case, the access log)", used)
	}
	if len(out.Case.Subjects) != 1 || len(out.Case.Subjects[0].Contacts) != 2 {
		t.Fatalf("case-d as its director: %+v", out.Case)
	}
	ends := map[string]string{}
	for _, c := range out.Case.Subjects[0].Contacts {
		if c.From.FullName != "Daan Diemen" || c.To.Redacted {
			t.Fatalf("d1's contact: %+v", c)
		}
		ends[c.To.ID] = c.To.FullName
	}
	if ends[gid("Person", "a1")] != "Anna Amsterdam" || ends[gid("Person", "n1")] != "Noor Onbekend" {
		t.Fatalf("the ends of d1's contacts: %v", ends)
	}
}
