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
// that answers their request.
func DossierPDF(w io.Writer, d *casus.Dossier) error {
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
	text(10, "", fmt.Sprintf("Naam: %s %s; geboren: %s; gemeente: %s", p.FirstName, p.LastName, birth, p.Municipality))
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
		line := t.Relation + ": " + t.Party
		if t.Source != "" {
			line += " (bron: " + t.Source + ")"
		}
		text(10, "", line)
	}
	none(len(d.Relatives) + len(d.Contacts))
	heading(2)
	for _, s := range d.Signals {
		text(10, "", fmt.Sprintf("%s, %s: %s (%s)", date(s.ReceivedAt), s.Municipality, s.Description, s.Status))
	}
	none(len(d.Signals))
	heading(3)
	for _, c := range d.Cases {
		text(11, "B", fmt.Sprintf("%s (%s, geopend %s, fase %s)", c.Reference, c.Municipality, date(c.OpenedAt), c.Phase))
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
	for _, a := range d.Accesses {
		text(9, "", fmt.Sprintf("%s  %s (%s): %s — %s", a.At.Format("02-01-2006 15:04"), a.Role, a.Organisation, a.Action, strings.Join(a.Activities, ", ")))
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
