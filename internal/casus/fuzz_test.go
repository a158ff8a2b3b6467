package casus

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzValidate feeds arbitrary text to every input's validation: it must
// never panic, refuse only with INVALID naming a field, and whatever it
// accepts must be within the limits. The seed corpus is in testdata/fuzz.
func FuzzValidate(f *testing.F) {
	f.Add("GM0362", "Jongere deelt propaganda", "RADICALISING", "JIHADIST", "HIGH", "reden", "key-1", 0.5)
	f.Add("", "", "", "", "", "", "", -1.0)
	f.Add(" \t", strings.Repeat("x", MaxSummary+1), "PIRATE", "X", "EXTREME", strings.Repeat("r", MaxReason+1), strings.Repeat("k", MaxKey+1), 2.0)
	f.Fuzz(func(t *testing.T, muni, text, group, ideology, level, reason, key string, confidence float64) {
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		check := func(name string, err error) {
			t.Helper()
			if err == nil {
				return
			}
			if ErrorCode(err) != EINVALID || ErrorField(err) == "" {
				t.Fatalf("%s: %v is not INVALID with a field", name, err)
			}
		}
		open := OpenCaseInput{MunicipalityCode: muni, Summary: text, SubjectIDs: []string{key},
			RiskGroups: []RiskGroup{RiskGroup(group)}, Ideology: Ideology(ideology), RiskLevel: RiskLevel(level),
			Reason: reason, IdempotencyKey: key}
		err := open.Validate()
		check("openCase", err)
		if err == nil && (open.Summary == "" || len(open.Summary) > MaxSummary || !open.Ideology.Valid() || len(open.Reason) > MaxReason) {
			t.Fatalf("accepted %+v", open)
		}
		person := CreatePersonInput{FirstName: text, LastName: muni, Aliases: []string{reason, key}, Notes: reason, IdempotencyKey: key}
		err = person.Validate(now)
		check("createPerson", err)
		if err == nil && (person.LastName == "" || len(person.LastName) > MaxName || len(person.Notes) > MaxNotes) {
			t.Fatalf("accepted %+v", person)
		}
		contact := AddContactInput{FromID: muni, ToID: key, Network: Network(group), Role: ContactRole(level), Source: reason, Confidence: confidence}
		err = contact.Validate(now)
		check("addNetworkContact", err)
		if err == nil && (!(confidence >= 0 && confidence <= 1) || contact.Source == "") {
			t.Fatalf("accepted %+v", contact)
		}
		signal := SubmitSignalInput{MunicipalityCode: muni, Description: text, Indicators: []string{group}}
		check("submitSignal", signal.Validate())
		report := FinalReport{Summary: text, Outcome: reason, Recommendations: key}
		check("closeCase", report.Validate())
		change := CaseChange{Reason: reason}
		check("caseChange", change.Validate(true))
		iv := InterventionChange{Outcome: text, Reason: reason}
		check("moveIntervention", iv.Validate(InterventionCompleted, now))
		measure := DecideMeasureInput{Type: MeasureType(group), Decision: MeasureDecision(level), Reason: reason}
		check("decideMeasure", measure.Validate())
		filter := CaseFilter{Phase: Phase(group), Search: text}
		check("cases", filter.Validate())
		if utf8.ValidString(text) && err == nil && strings.TrimSpace(person.FirstName) != person.FirstName {
			t.Fatalf("first name not trimmed: %q", person.FirstName)
		}
	})
}
