package graph_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"

	"casusnet/internal/report"
)

// TestFinalReport closes a case and renders its report for the mayor as
// HTML and PDF: both carry every heading and the recommendations (the PDF
// read back with a PDF parser), each rendering is logged as EXPORT, and
// nobody outside the case's scope gets it.
func TestFinalReport(t *testing.T) {
	a := newAPI(t, accessRegion())
	a.must(`mutation($i: ID!) { stopIntervention(input: {intervention: $i, reason: "niet meer nodig"}) { __typename } }`,
		map[string]any{"i": gid("Intervention", "int-b")}, nil)
	a.must(`mutation($c: ID!) { closeCase(input: {case: $c, report: {summary: "Bart is uit beeld geraakt van de ronselaar.",
		outcome: "Risico sterk afgenomen.", recommendations: "Nazorg door jongerenwerk één jaar voortzetten."}}) { case { phase } } }`,
		map[string]any{"c": gid("Case", "case-b")}, nil)
	mayor := a.as(actors["mayor B"])
	var q struct {
		FinalReport struct{ Recommendations string }
	}
	mayor.must(`query($c: ID!) { finalReport(case: $c) { recommendations } }`, map[string]any{"c": gid("Case", "case-b")}, &q)
	if q.FinalReport.Recommendations == "" {
		t.Error("Query.finalReport returned no recommendations")
	}
	if r := a.as(actors["director A"]).do(`query($c: ID!) { finalReport(case: $c) { recommendations } }`, map[string]any{"c": gid("Case", "case-b")}, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Errorf("finalReport out of scope: %+v", r.Errors)
	}
	path := "/report/" + gid("Case", "case-b")

	status, page := mayor.get(t, path+"?format=html")
	if status != http.StatusOK {
		t.Fatalf("html: %d %s", status, page)
	}
	// The weighing, the conference's decisions and the plan with what came
	// of it are in the report.
	process := []string{"Uitkomst: opnemen in de persoonsgerichte aanpak", "besluit org-ggd", "Veiligheid: Veilig", "Gesprek (open)"}
	for _, want := range append(append(report.Headings, process...), "Nazorg door jongerenwerk één jaar voortzetten.", "AM-2026-0002", "Amstelveen") {
		if !strings.Contains(string(page), want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}

	status, doc := mayor.get(t, path+"?format=pdf")
	if status != http.StatusOK || !bytes.HasPrefix(doc, []byte("%PDF")) {
		t.Fatalf("pdf: %d %.40q", status, doc)
	}
	r, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatalf("the PDF does not parse: %v", err)
	}
	var text strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		content := r.Page(i).Content()
		for _, s := range content.Text {
			text.WriteString(s.S)
		}
	}
	flat := strings.ReplaceAll(text.String(), " ", "")
	for _, h := range append(append(report.Headings, process...), "Eindrapportagecasus") {
		if !strings.Contains(flat, strings.ReplaceAll(h, " ", "")) {
			t.Errorf("the PDF lacks the heading %q (text: %.200q)", h, flat)
		}
	}

	var log struct {
		AuditLog struct {
			Edges []struct {
				Node struct{ Action, Operation string }
			}
		}
	}
	a.as(actors["auditor"]).must(`{ auditLog(filter: {user: "u-mayor-b"}) { edges { node { action operation } } } }`, nil, &log)
	exports := 0
	for _, e := range log.AuditLog.Edges {
		if e.Node.Action == "EXPORT" && strings.HasPrefix(e.Node.Operation, "final report") {
			exports++
		}
	}
	if exports != 2 {
		t.Errorf("%d final report exports logged, want 2", exports)
	}

	for name, c := range map[string]struct {
		api  *api
		path string
		want int
	}{
		"director out of scope": {a.as(actors["director A"]), path + "?format=html", http.StatusNotFound},
		"partner":               {a.as(actors["partner JW"]), path + "?format=pdf", http.StatusNotFound},
		"open case":             {a, "/report/" + gid("Case", "case-a") + "?format=html", http.StatusNotFound},
		"bad format":            {mayor, path + "?format=docx", http.StatusBadRequest},
		"no token":              {&api{t: t, srv: a.srv}, path + "?format=html", http.StatusUnauthorized},
		"not a case id":         {mayor, "/report/" + gid("Person", "p-b") + "?format=html", http.StatusBadRequest},
	} {
		if status, body := c.api.get(t, c.path); status != c.want {
			t.Errorf("%s: %d %.200s, want %d", name, status, body, c.want)
		}
	}
}
