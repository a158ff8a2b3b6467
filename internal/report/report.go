// Package report renders a case's final report for the responsible mayor,
// as a printable HTML page and as PDF (with github.com/go-pdf/fpdf). The
// text is Dutch: the report is addressed to a Dutch mayor.
package report

import (
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/go-pdf/fpdf"

	"casusnet/internal/casus"
)

// Document is everything the report shows.
type Document struct {
	Reference, Municipality string
	Report                  casus.FinalReport
	OpenedAt                time.Time
	Course                  []Step
	// Weighings are the weighing team's decisions; Decisions those of the
	// case conferences; Goals the plan of action and what came of it.
	Weighings     []Step
	Decisions     []Step
	Goals         []Goal
	Interventions []Intervention
	Measures      []Step
}

// Goal is a goal of the plan of action with what came of its actions.
type Goal struct {
	Domain, Description string
	Actions             []string
}

// Step is one dated line of the course or of the measures.
type Step struct {
	At   time.Time
	Text string
}

// Intervention is an intervention with its outcome.
type Intervention struct {
	Name, Status, Goal, Outcome string
}

// Headings are the section titles, in order; tests look for them.
var Headings = []string{"Samenvatting", "Verloop", "Weging", "Besluiten van het casusoverleg", "Plan van aanpak: doelen en resultaat",
	"Interventies en resultaten", "Maatregelen", "Aanbevelingen van de casusregisseur"}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2-1-2006") // d-m-jjjj, as Dutch letters write it
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{"date": date, "h": func(i int) string { return Headings[i] }}).Parse(`<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Eindrapportage {{.Reference}}</title>
<style>
body { font: 11pt/1.45 Georgia, serif; max-width: 44em; margin: 2em auto; color: #111; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #999; }
.meta { color: #444; } table { border-collapse: collapse; width: 100%; } td, th { text-align: left; vertical-align: top; padding: .2em .5em .2em 0; }
.confidential { font-weight: bold; color: #900; } @media print { body { margin: 0; } }
</style></head><body>
<p class="confidential">Vertrouwelijk — bijzondere persoonsgegevens</p>
<h1>Eindrapportage casus {{.Reference}}</h1>
<p class="meta">Aan: {{.Report.AddressedTo}}, burgemeester van {{.Municipality}}<br>
Van: {{.Report.WrittenByName}}, casusregisseur, {{date .Report.WrittenAt}}<br>
Casus geopend {{date .OpenedAt}}</p>
<h2>{{h 0}}</h2><p>{{.Report.Summary}}</p><p>{{.Report.Outcome}}</p>
<h2>{{h 1}}</h2><table>{{range .Course}}<tr><td>{{date .At}}</td><td>{{.Text}}</td></tr>{{else}}<tr><td>Geen verloop vastgelegd.</td></tr>{{end}}</table>
<h2>{{h 2}}</h2><table>{{range .Weighings}}<tr><td>{{date .At}}</td><td>{{.Text}}</td></tr>{{else}}<tr><td>Geen weging vastgelegd.</td></tr>{{end}}</table>
<h2>{{h 3}}</h2><table>{{range .Decisions}}<tr><td>{{date .At}}</td><td>{{.Text}}</td></tr>{{else}}<tr><td>Geen besluiten vastgelegd.</td></tr>{{end}}</table>
<h2>{{h 4}}</h2>{{range .Goals}}<h3>{{.Domain}}: {{.Description}}</h3><ul>{{range .Actions}}<li>{{.}}</li>{{else}}<li>Geen acties.</li>{{end}}</ul>{{else}}<p>Geen plan van aanpak.</p>{{end}}
<h2>{{h 5}}</h2><table>{{range .Interventions}}<tr><th>{{.Name}}</th><td>{{.Status}}</td><td>{{.Goal}}</td><td>{{.Outcome}}</td></tr>{{else}}<tr><td>Geen interventies.</td></tr>{{end}}</table>
<h2>{{h 6}}</h2><table>{{range .Measures}}<tr><td>{{date .At}}</td><td>{{.Text}}</td></tr>{{else}}<tr><td>Geen maatregelen.</td></tr>{{end}}</table>
<h2>{{h 7}}</h2><p>{{.Report.Recommendations}}</p>
</body></html>
`))

// HTML writes the report as a printable HTML page.
func HTML(w io.Writer, d *Document) error {
	return page.Execute(w, d)
}

// PDF writes the report as an A4 PDF.
func PDF(w io.Writer, d *Document) error {
	pdf, text, heading := newPDF("Eindrapportage "+d.Reference, Headings)
	text(9, "B", "Vertrouwelijk - bijzondere persoonsgegevens")
	pdf.Ln(2)
	text(18, "B", "Eindrapportage casus "+d.Reference)
	text(10, "", fmt.Sprintf("Aan: %s, burgemeester van %s", d.Report.AddressedTo, d.Municipality))
	text(10, "", fmt.Sprintf("Van: %s, casusregisseur, %s", d.Report.WrittenByName, date(d.Report.WrittenAt)))
	text(10, "", "Casus geopend "+date(d.OpenedAt))
	heading(0)
	text(10, "", d.Report.Summary)
	text(10, "", d.Report.Outcome)
	heading(1)
	for _, s := range d.Course {
		text(10, "", date(s.At)+"  "+s.Text)
	}
	for i, steps := range [][]Step{d.Weighings, d.Decisions} {
		heading(2 + i)
		if len(steps) == 0 {
			text(10, "", "Niet vastgelegd.")
		}
		for _, s := range steps {
			text(10, "", date(s.At)+"  "+s.Text)
		}
	}
	heading(4)
	if len(d.Goals) == 0 {
		text(10, "", "Geen plan van aanpak.")
	}
	for _, g := range d.Goals {
		text(10, "B", g.Domain+": "+g.Description)
		for _, a := range g.Actions {
			text(10, "", "- "+a)
		}
	}
	heading(5)
	for _, i := range d.Interventions {
		text(10, "B", i.Name+" ("+i.Status+")")
		text(10, "", i.Goal)
		if i.Outcome != "" {
			text(10, "I", i.Outcome)
		}
	}
	heading(6)
	if len(d.Measures) == 0 {
		text(10, "", "Geen maatregelen.")
	}
	for _, s := range d.Measures {
		text(10, "", date(s.At)+"  "+s.Text)
	}
	heading(7)
	text(10, "", d.Report.Recommendations)
	return pdf.Output(w)
}

// newPDF starts an A4 document titled title, and returns it with a writer
// of text (in the core fonts, translated from UTF-8) and of the i-th of
// headings.
func newPDF(title string, headings []string) (*fpdf.Fpdf, func(size float64, style, s string), func(i int)) {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // UTF-8 to the core fonts' cp1252
	pdf.SetTitle(tr(title), false)
	pdf.SetMargins(20, 20, 20)
	pdf.AddPage()
	text := func(size float64, style, s string) {
		pdf.SetFont("Helvetica", style, size)
		pdf.MultiCell(0, size*0.5, tr(s), "", "L", false)
	}
	heading := func(i int) {
		pdf.Ln(4)
		text(13, "B", headings[i])
		pdf.Ln(1)
	}
	return pdf, text, heading
}
