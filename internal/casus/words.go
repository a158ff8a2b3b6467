package casus

import "strings"

// What a person is given — the final report for the mayor, the access
// dossier for the person concerned — speaks in words, not in codes (AVG
// art. 12: concise and in clear and plain language). Word gives the Dutch
// word for a code of the domain's vocabulary.

var words = map[string]string{
	// Phases and escalation levels.
	"REGISTERED": "registratie", "ASSESSMENT": "weging", "CASE_CONFERENCE": "casusoverleg", "ACTION_PLAN": "plan van aanpak",
	"EXECUTION": "uitvoering", "AFTERCARE": "nazorg", "CLOSED": "afgesloten",
	"LOCAL": "lokaal", "REGIONAL": "regionaal", "AVZ": "Actiecentrum Veiligheid en Zorg", "NATIONAL": "landelijk",
	// Risk groups, levels and ideologies.
	"RADICALISING": "radicaliserend", "FAMILY_OF_TRAVELLER": "familie van een uitreiziger", "TRAVELLER": "uitreiziger",
	"TERRORIST_OR_RETURNEE": "terrorist of terugkeerder", "RECRUITER": "ronselaar",
	"LOW": "laag", "MEDIUM": "middel", "HIGH": "hoog",
	"JIHADIST": "jihadistisch", "RIGHT_WING": "rechts-extremistisch", "LEFT_WING": "links-extremistisch", "ANIMAL_RIGHTS": "dierenrechtenextremisme",
	// Interventions, actions, measures, weighings, assessments.
	"PROPOSED": "voorgesteld", "ACTIVE": "lopend", "COMPLETED": "afgerond", "STOPPED": "gestopt",
	"OPEN": "open", "DONE": "afgerond", "CANCELLED": "vervallen",
	"AREA_BAN": "gebiedsverbod", "REPORTING_DUTY": "meldplicht", "CONTACT_BAN": "contactverbod", "PASSPORT_WITHDRAWAL": "paspoort vervallen verklaard",
	"IMPOSED": "opgelegd", "REJECTED": "afgewezen", "LIFTED": "opgeheven",
	"NO_ACTION": "geen actie", "MORE_INFORMATION": "meer informatie nodig", "INCLUDE": "opnemen in de persoonsgerichte aanpak",
	"REFER_TO_PROSECUTOR": "overdragen aan het Openbaar Ministerie",
	"VERA_2R":             "VERA-2R", "ERG22_PLUS": "ERG22+", "IR46": "IR46", "RRAP": "RRAP",
	// Signals.
	"NEW": "nieuw", "IN_REVIEW": "in behandeling", "DISMISSED": "afgewezen", "CASE_OPENED": "casus geopend",
	"ONLINE_PROPAGANDA": "online propaganda", "BEHAVIOUR_CHANGE": "gedragsverandering", "TRAVEL_PLANS": "reisplannen",
	"ISOLATION": "isolement", "VIOLENT_LANGUAGE": "gewelddadige taal", "CONTACT_WITH_EXTREMISTS": "contact met extremisten",
	"SUPPORT_FOR_VIOLENCE": "steun voor geweld",
	// Ties.
	"PARENT": "ouder", "CHILD": "kind", "SIBLING": "broer of zus", "PARTNER": "partner",
	"FORMAL": "formeel netwerk", "INFORMAL": "informeel netwerk",
	"TEACHER": "docent", "YOUTH_WORKER": "jongerenwerker", "IMAM": "imam", "SPORTS_COACH": "sportcoach", "CASE_WORKER": "hulpverlener",
	"PROBATION_OFFICER": "reclasseringswerker", "KEY_FIGURE": "sleutelfiguur", "FRIEND": "vriend", "ONLINE_CONTACT": "online contact",
	"OTHER": "overig",
	// Case events.
	"CASE_OPENED_EVENT": "casus geopend", "PHASE_CHANGED": "naar de volgende fase", "ESCALATED": "opgeschaald", "DEESCALATED": "afgeschaald",
	"DIRECTOR_ASSIGNED": "casusregisseur toegewezen", "REVIEW_SCHEDULED": "evaluatie gepland",
	"INTERVENTION_PROPOSED": "interventie voorgesteld", "INTERVENTION_STARTED": "interventie gestart",
	"INTERVENTION_COMPLETED": "interventie afgerond", "INTERVENTION_STOPPED": "interventie gestopt", "MEASURE_DECIDED": "maatregel besloten",
	"CASE_CLOSED": "casus gesloten", "ACCESS_GRANTED": "toegang verleend", "WEIGHED": "gewogen",
	"CONFERENCE_SCHEDULED": "casusoverleg gepland", "CONFERENCE_HELD": "casusoverleg gehouden", "GOAL_ADDED": "doel toegevoegd",
	"ACTION_ADDED": "actie toegevoegd", "ACTION_REPORTED": "actie teruggemeld", "ASSESSED": "risicotaxatie vastgelegd",
	"RISK_LEVEL_OVERRIDDEN": "risiconiveau aangepast", "INFORMING_RECORDED": "informeren vastgelegd",
	"ADVICE_ASKED": "advies gevraagd", "ADVICE_GIVEN": "advies gegeven", "ADVICE_ANSWERED": "besluit over advies", "SUBJECT_ADDED": "betrokkene toegevoegd",
	"CONFERENCE_MOVED": "casusoverleg verplaatst", "CONFERENCE_CANCELLED": "casusoverleg afgelast",
	// Roles, access-log actions and processing activities.
	"DIRECTOR": "casusregisseur", "COORDINATOR": "coördinator", "MAYOR": "burgemeester", "ANALYST": "analist",
	"REPORTER": "melder", "AUDITOR": "privacy officer", "DPO": "functionaris gegevensbescherming", "ADVISER": "adviseur",
	"READ": "ingezien", "CREATE": "vastgelegd", "UPDATE": "gewijzigd", "DELETE": "verwijderd", "EXPORT": "afgedrukt of uitgevoerd",
	"PGA_CASE_WORK": "het werk aan een casus van de persoonsgerichte aanpak", "SIGNAL_INTAKE": "het behandelen van een melding",
	"NETWORK_ANALYSIS": "een netwerkanalyse", "MONITORING": "overzichten en cijfers", "RESEARCH_EXPORT": "onderzoek",
	"ACCESS_LOG": "toezicht op het logboek", "DATA_SUBJECT_RIGHTS": "het behandelen van uw verzoek",
	// Fields a correction names.
	"firstName": "voornaam", "lastName": "achternaam", "aliases": "ook bekend als", "birthDate": "geboortedatum",
	"notes": "aantekeningen", "municipality": "woonplaats",
}

// Word returns the Dutch word for code, or the code in lower case with
// spaces for one the vocabulary lacks (never the bare code).
func Word(code string) string {
	if w, ok := words[code]; ok {
		return w
	}
	return strings.ToLower(strings.ReplaceAll(code, "_", " "))
}

// Capital returns Word(code) starting with a capital, to begin a line.
func Capital(code string) string {
	w := []rune(Word(code))
	if len(w) == 0 {
		return ""
	}
	return strings.ToUpper(string(w[0])) + string(w[1:])
}

// EventWord returns the Dutch words for a case event's type.
func EventWord(typ string) string {
	if typ == EventCaseOpened {
		return words["CASE_OPENED_EVENT"]
	}
	return Word(typ)
}
