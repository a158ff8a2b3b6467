package report

import (
	"fmt"
	"io"
	"strings"

	"casusnet/internal/casus"
)

// DossierHeadings are the dossier's section titles, in order; tests look
// for them.
var DossierHeadings = []string{"Uw gegevens", "Familie en contacten", "Signalen", "Casussen", "Wie uw gegevens inzag", "Niet verstrekt"}

// DossierPDF writes a person's dossier as an A4 PDF, to go with the letter
// that answers their request, in words: names maps the municipality codes
// and organisation ids the dossier holds to their names; relations,
// statuses, phases and the log are told, not coded.
func DossierPDF(w io.Writer, d *casus.Dossier, names map[string]string) error {
	name := func(code string) string {
		if n, ok := names[code]; ok {
			return n
		}
		if code == "" {
			return "onbekend"
		}
		return "een andere gemeente of organisatie"
	}
	pdf, text, heading := newPDF("Inzagedossier", DossierHeadings)
	none := func(n int) {
		if n == 0 {
			text(10, "I", "Geen.")
		}
	}
	p := d.Person
	text(9, "B", "Vertrouwelijk - bijzondere persoonsgegevens")
	text(18, "B", "Inzagedossier "+strings.TrimSpace(p.FirstName+" "+p.LastName))
	text(10, "", fmt.Sprintf("Samengesteld door %s op %s (AVG art. 15)", d.CompiledBy, date(d.CompiledAt)))
	heading(0)
	birth := ""
	if p.BirthDate != nil {
		birth = date(*p.BirthDate)
	}
	text(10, "", fmt.Sprintf("Naam: %s %s; geboren: %s; woonplaats: %s", p.FirstName, p.LastName, birth, name(p.Municipality)))
	if len(p.Aliases) > 0 {
		text(10, "", "Ook bekend als: "+strings.Join(p.Aliases, ", "))
	}
	if p.Notes != "" {
		text(10, "", "Aantekeningen: "+p.Notes)
	}
	for _, c := range d.Corrections {
		text(10, "", "Gecorrigeerd op uw verzoek, "+date(c.At)+": "+c.Text)
	}
	heading(1)
	for _, t := range append(append([]casus.DossierTie{}, d.Relatives...), d.Contacts...) {
		line := casus.Capital(t.Relation) + ": " + t.Party
		if t.Source != "" {
			line += " (bron: " + t.Source + ")"
		}
		text(10, "", line)
	}
	none(len(d.Relatives) + len(d.Contacts))
	heading(2)
	for _, s := range d.Signals {
		text(10, "", fmt.Sprintf("%s, %s: %s (%s)", date(s.ReceivedAt), s.Municipality, s.Description, casus.Word(s.Status)))
	}
	none(len(d.Signals))
	heading(3)
	for _, c := range d.Cases {
		text(11, "B", fmt.Sprintf("%s (%s, geopend %s, fase: %s)", c.Reference, name(c.Municipality), date(c.OpenedAt), casus.Word(c.Phase)))
		text(10, "", c.Summary)
		for _, part := range []struct {
			name  string
			lines []casus.DossierLine
		}{{"Verloop", c.History}, {"Weging", c.Weighings}, {"Besluiten", c.Decisions}, {"Acties", c.Actions},
			{"Interventies", c.Interventions}, {"Maatregelen", c.Measures}, {"Risicotaxaties", c.Assessments}} {
			if len(part.lines) == 0 {
				continue
			}
			text(10, "I", part.name)
			for _, l := range part.lines {
				text(9, "", date(l.At)+"  "+l.Text)
			}
		}
	}
	none(len(d.Cases))
	heading(4)
	for _, line := range Told(d.Accesses, name) {
		text(9, "", line)
	}
	none(len(d.Accesses))
	heading(5)
	if d.Notice != "" {
		text(10, "", d.Notice)
	}
	none(len(d.Notice))
	return pdf.Output(w)
}

// RecordHeadings are the section titles of the officer's record of what a
// dossier withholds.
var RecordHeadings = []string{"Niet verstrekte gegevens", "Verantwoording"}

// WithheldPDF writes the officer's record of what d withholds from the
// person and why: for the file, never for the person.
func WithheldPDF(w io.Writer, d *casus.Dossier) error {
	pdf, text, heading := newPDF("Verantwoording inzagedossier", RecordHeadings)
	p := d.Person
	text(9, "B", "Vertrouwelijk - alleen voor het dossier van de functionaris gegevensbescherming, niet voor betrokkene")
	text(16, "B", "Verantwoording inzagedossier "+strings.TrimSpace(p.FirstName+" "+p.LastName))
	text(10, "", fmt.Sprintf("Samengesteld door %s op %s", d.CompiledBy, date(d.CompiledAt)))
	heading(0)
	for _, x := range d.Record {
		text(11, "B", fmt.Sprintf("Casus %s (%s)", x.Case, x.Municipality))
		text(10, "", "Grondslag: "+x.Statutory)
		text(10, "", "Reden om (nog) niet te informeren: "+x.Ground)
		if x.ReconsiderOn != nil {
			text(10, "", "Te heroverwegen op: "+date(*x.ReconsiderOn))
		}
		text(10, "", fmt.Sprintf("Weggelaten: de casus met de inhoud, %d signalen en %d inzagen.", x.Signals, x.Accesses))
	}
	if len(d.Record) == 0 {
		text(10, "I", "Er is niets weggelaten.")
	}
	heading(1)
	text(10, "", "Het inzagedossier vermeldt alleen: "+casus.WithheldNotice)
	return pdf.Output(w)
}

// Told tells accesses as a person reads them: who (role and organisation),
// did what to their data, when and why, one sentence per day, person and
// purpose, counting repeats instead of listing them.
func Told(accesses []casus.DossierAccess, name func(string) string) []string {
	type key struct{ day, role, org, action, why string }
	var order []key
	count := map[key]int{}
	for _, a := range accesses {
		var why []string
		for _, x := range a.Activities {
			why = append(why, casus.Word(x))
		}
		k := key{date(a.At), a.Role, a.Organisation, a.Action, strings.Join(why, " en ")}
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		who := "een " + casus.Word(k.role)
		if k.org != "" {
			who += " van " + name(k.org)
		}
		line := fmt.Sprintf("Op %s heeft %s uw gegevens %s", k.day, who, casus.Word(k.action))
		if k.why != "" {
			line += ", voor " + k.why
		}
		if n := count[k]; n > 1 {
			line += fmt.Sprintf(" (%d keer)", n)
		}
		out = append(out, line+".")
	}
	return out
}
