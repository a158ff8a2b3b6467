package casus

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// ProcessingActivity is one entry of the register of processing activities
// (verwerkingsregister, AVG art. 30): what personal data is processed for,
// on which legal ground, which categories, and how long it is kept. Every
// operation that touches personal data is tied to one, and every access log
// entry carries it.
type ProcessingActivity struct {
	Code        string   `json:"code"` // e.g. PGA_CASE_WORK; the id the access log uses
	Name        string   `json:"name"`
	Purpose     string   `json:"purpose"`
	LegalGround string   `json:"legalGround"`
	Categories  []string `json:"categories"` // categories of personal data
	Subjects    []string `json:"subjects"`   // categories of persons concerned
	Retention   string   `json:"retention"`
}

// The processing activities of the default register.
const (
	ActivityCaseWork   = "PGA_CASE_WORK"
	ActivitySignals    = "SIGNAL_INTAKE"
	ActivityNetwork    = "NETWORK_ANALYSIS"
	ActivityMonitoring = "MONITORING"
	ActivityResearch   = "RESEARCH_EXPORT"
	ActivityAccessLog  = "ACCESS_LOG"
)

// DefaultRegister is the register of a deployment that configured none. A
// municipality adapts it to its own DPIA and covenant (CASUSNET_REGISTER).
var DefaultRegister = []ProcessingActivity{
	{Code: ActivityCaseWork, Name: "Persoonsgerichte aanpak: casuswerk",
		Purpose:     "Het voorkomen van radicalisering en extremistisch geweld door een integrale, persoonsgerichte aanpak: weging, casusoverleg, plan van aanpak en uitvoering.",
		LegalGround: "AVG art. 6 lid 1 sub e; art. 9 lid 2 sub g en art. 10 AVG met de Wet gegevensverwerking door samenwerkingsverbanden (Wgs); Gemeentewet art. 172",
		Categories:  []string{"identificerende gegevens", "gegevens over radicalisering (bijzonder)", "strafrechtelijke gegevens", "gezins- en netwerkgegevens", "zorg- en interventiegegevens"},
		Subjects:    []string{"betrokkenen in een casus", "familieleden", "netwerkcontacten"},
		Retention:   "5 jaar na afsluiten van de casus (CASUSNET_RETENTION)"},
	{Code: ActivitySignals, Name: "Ontvangst en weging van signalen",
		Purpose:     "Signalen van professionals ontvangen en wegen of een persoonsgerichte aanpak nodig is.",
		LegalGround: "AVG art. 6 lid 1 sub e; Wgs",
		Categories:  []string{"identificerende gegevens", "signalen en indicatoren (bijzonder)"},
		Subjects:    []string{"personen over wie gemeld wordt"},
		Retention:   "afgewezen signalen 1 jaar; anders met de casus"},
	{Code: ActivityNetwork, Name: "Netwerkanalyse ten behoeve van een casus",
		Purpose:     "Het netwerk rond betrokkenen in beeld brengen voor de aanpak van een casus of een vastgelegde analysevraag.",
		LegalGround: "AVG art. 6 lid 1 sub e; Wgs; alleen met een doel per analyse",
		Categories:  []string{"relaties en contacten", "afgeleide kenmerken (centraliteit, gemeenschappen)"},
		Subjects:    []string{"betrokkenen", "familieleden en contacten die zelf geen betrokkene zijn"},
		Retention:   "niet opgeslagen; het resultaat leeft in het antwoord"},
	{Code: ActivityMonitoring, Name: "Monitoring en sturingsinformatie",
		Purpose:     "Geaggregeerde cijfers over de aanpak voor coördinatie, burgemeesters en kostenverdeling.",
		LegalGround: "AVG art. 6 lid 1 sub e",
		Categories:  []string{"geaggregeerde aantallen (geen persoonsgegevens)"},
		Subjects:    []string{},
		Retention:   "niet opgeslagen"},
	{Code: ActivityResearch, Name: "Exports voor onderzoek en verantwoording",
		Purpose:     "Gepseudonimiseerde exports voor onderzoek en verantwoording aan de gemeenteraad.",
		LegalGround: "AVG art. 6 lid 1 sub e; art. 89 AVG",
		Categories:  []string{"gepseudonimiseerde casus- en netwerkgegevens"},
		Subjects:    []string{"betrokkenen (gepseudonimiseerd)"},
		Retention:   "zoals de ontvanger vastlegt; export gelogd"},
	{Code: ActivityRights, Name: "Rechten van betrokkenen",
		Purpose:     "Verzoeken van betrokkenen (inzage, rectificatie, beperking, bezwaar, wissing) ontvangen, beoordelen en beantwoorden, met het inzagedossier.",
		LegalGround: "AVG art. 12 tot en met 23; art. 6 lid 1 sub c",
		Categories:  []string{"identificerende gegevens van de verzoeker", "alle gegevens over de betrokkene, voor het dossier"},
		Subjects:    []string{"verzoekers"},
		Retention:   "verzoek en dossier 2 jaar na de beslissing"},
	{Code: ActivityAccessLog, Name: "Toegangslog",
		Purpose:     "Vastleggen wie welke persoonsgegevens inzag of wijzigde, voor toezicht en voor de rechten van betrokkenen (NEN 7513, Logboek Dataverwerkingen).",
		LegalGround: "AVG art. 5 lid 2 en art. 32; Wgs",
		Categories:  []string{"gebruikers, handelingen, gepseudonimiseerde betrokkenen"},
		Subjects:    []string{"gebruikers", "betrokkenen"},
		Retention:   "langer dan de gegevens zelf (CASUSNET_LOG_RETENTION)"},
}

// Register is the deployment's register of processing activities.
type Register struct {
	activities []ProcessingActivity
}

// NewRegister checks activities and returns them as a register: every
// activity needs a code, name, purpose and legal ground, codes are unique
// and written in capitals, and the default register's codes must all be
// there, since the operations are tied to them.
func NewRegister(activities []ProcessingActivity) (*Register, error) {
	seen := map[string]bool{}
	for _, a := range activities {
		switch {
		case a.Code == "" || strings.ToUpper(a.Code) != a.Code || strings.ContainsAny(a.Code, " ,"):
			return nil, fmt.Errorf("processing activity %q: the code is capitals without spaces or commas", a.Code)
		case a.Name == "" || a.Purpose == "" || a.LegalGround == "":
			return nil, fmt.Errorf("processing activity %s: name, purpose and legal ground are required", a.Code)
		case seen[a.Code]:
			return nil, fmt.Errorf("processing activity %s is registered twice", a.Code)
		}
		seen[a.Code] = true
	}
	for _, a := range DefaultRegister {
		if !seen[a.Code] {
			return nil, fmt.Errorf("processing activity %s is missing: casusnet's operations are tied to it", a.Code)
		}
	}
	return &Register{activities: slices.Clone(activities)}, nil
}

// ParseRegister reads a register from JSON: a list of activities.
func ParseRegister(b []byte) (*Register, error) {
	var as []ProcessingActivity
	if err := json.Unmarshal(b, &as); err != nil {
		return nil, fmt.Errorf("register of processing activities: %w", err)
	}
	return NewRegister(as)
}

// Activities returns the register's activities in order; a nil register
// is the default one.
func (r *Register) Activities() []ProcessingActivity {
	if r == nil {
		return slices.Clone(DefaultRegister)
	}
	return slices.Clone(r.activities)
}

// URI returns the processing activity's identifier as the Logboek
// Dataverwerkingen wants it: an absolute URI under base.
func ActivityURI(base, code string) string {
	return strings.TrimSuffix(base, "/") + "/verwerkingsactiviteiten/" + code
}

// SubjectPseudonym returns the pseudonym under which the access log names
// the person with id: an HMAC of the id under the deployment's key, so that
// the log names nobody but the data-protection officer, who holds the key's
// use through casusnet, can find a person's entries.
func SubjectPseudonym(key []byte, personID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("casusnet-subject:" + personID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// PseudonymObjects returns objects ("Type:id") with every person named by
// their pseudonym under key ("Person:" + SubjectPseudonym), so that the log
// that names its subjects by pseudonym does not name them by id beside it.
func PseudonymObjects(key []byte, objects []string) []string {
	out := make([]string, len(objects))
	for i, o := range objects {
		if id, ok := strings.CutPrefix(o, "Person:"); ok {
			o = "Person:" + SubjectPseudonym(key, id)
		}
		out[i] = o
	}
	return out
}
