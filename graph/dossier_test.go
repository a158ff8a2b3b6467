package graph_test

import (
	"bytes"
	"encoding/json"
	"github.com/vektah/gqlparser/v2/ast"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
)

// TestEveryDemoPersonHasADossier compiles the dossier of every person in
// the demo region, as JSON and as the letter's PDF, with an officer of all
// its municipalities. Each is complete — every case of theirs that is not
// withheld, with its conference decisions and actions, and the access a
// coordinator made to it when they are a subject in person (a group case's
// read names the group, not its members) — says that something is withheld exactly when it
// is, names no withheld case, ground or signal, and names no third party:
// no other person's name, birth date or notes.
func TestEveryDemoPersonHasADossier(t *testing.T) {
	region := demo.Region()
	a := newAPI(t, region)
	var codes []string
	for _, m := range region.Municipalities {
		codes = append(codes, m.Code)
	}
	dpo := a.as(casus.Actor{ID: "u-dpo-all", Name: "FG", Role: casus.RoleDPO, Municipalities: codes})
	reader := a.as(coordinator)

	members := map[string][]string{}
	for _, g := range region.Groups {
		members[g.ID] = g.Members
	}
	// casesOf returns the cases about p, and whether p is a subject in
	// person rather than as a group's member.
	casesOf := func(p string) (shown, withheld []demo.Case, direct bool) {
		for _, c := range region.Cases {
			direct = direct || slices.Contains(c.Subjects, p)
			if slices.Contains(c.Subjects, p) || (c.GroupID != "" && slices.Contains(members[c.GroupID], p)) {
				if c.Informing != nil && !c.Informing.Informed {
					withheld = append(withheld, c)
				} else {
					shown = append(shown, c)
				}
			}
		}
		return shown, withheld, direct
	}
	// Every case is read once, so that each subject has an access to find.
	for _, c := range region.Cases {
		reader.must(`query Lezen($id: ID!) { case(id: $id) { reference subjects { ... on Person { firstName } } } }`, map[string]any{"id": gid("Case", c.ID)}, nil)
	}

	subjects := 0
	for _, p := range region.Persons {
		status, body := dpo.get(t, "/dossier/"+gid("Person", p.ID)+"?format=json")
		if status != http.StatusOK {
			t.Errorf("%s %s: dossier %d %s", p.FirstName, p.LastName, status, body)
			continue
		}
		status, doc := dpo.get(t, "/dossier/"+gid("Person", p.ID)+"?format=pdf")
		if status != http.StatusOK {
			t.Errorf("%s %s: PDF %d", p.FirstName, p.LastName, status)
			continue
		}
		letter := pdfText(t, doc)
		var d struct {
			Person   struct{ FirstName string }
			Cases    []struct{ Reference string }
			Accesses []struct{ Role string }
			Notice   string
		}
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		shown, withheld, direct := casesOf(p.ID)
		if len(shown)+len(withheld) > 0 {
			subjects++
		}
		if d.Person.FirstName != p.FirstName || len(d.Cases) != len(shown) {
			t.Errorf("%s %s: %d cases in the dossier, want %d", p.FirstName, p.LastName, len(d.Cases), len(shown))
		}
		if (d.Notice != "") != (len(withheld) > 0) {
			t.Errorf("%s %s: notice %q with %d cases withheld", p.FirstName, p.LastName, d.Notice, len(withheld))
		}
		var want []string
		for _, c := range shown {
			want = append(want, c.Reference)
			for _, k := range c.Conferences {
				for _, x := range k.Decisions {
					want = append(want, x.Text)
				}
			}
			for _, g := range c.Goals {
				for _, x := range g.Actions {
					want = append(want, x.Description)
				}
			}
		}
		for _, w := range want {
			if !strings.Contains(string(body), mustJSONText(w)) {
				t.Errorf("%s %s: the dossier lacks %q", p.FirstName, p.LastName, w)
			}
		}
		if len(shown) > 0 && direct && !slices.ContainsFunc(d.Accesses, func(x struct{ Role string }) bool { return x.Role == casus.RoleCoordinator }) {
			t.Errorf("%s %s: the coordinator's read of their case is not among the accesses", p.FirstName, p.LastName)
		}
		var never []string
		for _, c := range withheld {
			never = append(never, c.Reference, c.Informing.Ground, c.ID)
		}
		for _, q := range region.Persons {
			if q.ID == p.ID {
				continue
			}
			never = append(never, q.FirstName+" "+q.LastName)
			if len(q.Notes) >= 12 && q.Notes != p.Notes {
				never = append(never, q.Notes)
			}
			if !q.BirthDate.IsZero() && !q.BirthDate.Equal(p.BirthDate) {
				never = append(never, q.BirthDate.Format("2006-01-02"))
			}
		}
		for _, n := range never {
			if strings.Contains(string(body), mustJSONText(n)) || strings.Contains(letter, strings.ReplaceAll(n, " ", "")) {
				t.Errorf("%s %s: the dossier holds %q", p.FirstName, p.LastName, n)
			}
		}
		inWords(t, p.FirstName+" "+p.LastName+"'s dossier", letter, region)
	}
	if subjects == 0 {
		t.Fatal("no person in the demo region is the subject of a case")
	}
	// The mayor's final reports speak in words too.
	for _, c := range region.Cases {
		if c.Phase != casus.PhaseClosed {
			continue
		}
		for _, format := range []string{"html", "pdf"} {
			status, doc := reader.get(t, "/report/"+gid("Case", c.ID)+"?format="+format)
			if status != http.StatusOK {
				t.Fatalf("%s final report %s: %d", c.Reference, format, status)
			}
			text := string(doc)
			if format == "pdf" {
				text = pdfText(t, doc)
			}
			inWords(t, c.Reference+"'s final report ("+format+")", text, region)
		}
	}
}

// inWords fails when text, a document a person is given, shows a code:
// any enum value of the schema (except one that is also a name in the
// region, like NCTV), a municipality's CBS code, an organisation's or a
// record's id.
func inWords(t *testing.T, what, text string, region demo.Data) {
	t.Helper()
	var names strings.Builder
	for _, o := range region.Organisations {
		names.WriteString(o.Name + " ")
	}
	for _, typ := range servedSchema().Types {
		if typ.Kind != ast.Enum || strings.HasPrefix(typ.Name, "__") {
			continue
		}
		for _, v := range typ.EnumValues {
			if len(v.Name) < 3 || strings.Contains(names.String(), v.Name) || casus.Word(v.Name) == v.Name {
				continue
			}
			if strings.Contains(text, v.Name) {
				t.Errorf("%s shows the code %s (%s)", what, v.Name, typ.Name)
			}
		}
	}
	for _, code := range []*regexp.Regexp{regexp.MustCompile(`GM\d{4}`), regexp.MustCompile(`\b(org|case|p|sig|dir)-[a-z0-9-]+`),
		regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}`)} {
		if m := code.FindString(text); m != "" {
			t.Errorf("%s shows the id %s", what, m)
		}
	}
}

// mustJSONText returns s as it appears inside a JSON string.
func mustJSONText(s string) string {
	b, _ := json.Marshal(s)
	return string(bytes.Trim(b, `"`))
}
