package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"casusnet/internal/casus"
	"casusnet/internal/region"
)

// seedStatements write a region.Data, one UNWIND per kind, all by MERGE on the
// stable ids, so that seeding twice changes nothing.
var seedStatements = []struct{ name, cypher string }{
	{"municipalities", `
		UNWIND $municipalities AS r
		MERGE (m:Municipality {code: r.code})
		SET m.name = r.name, m.inhabitants = r.inhabitants, m.mayor = r.mayor`},
	{"organisations", `
		UNWIND $organisations AS r
		MERGE (o:Organisation {id: r.id})
		SET o.name = r.name, o.type = r.type,
		    o.providesDirectors = r.providesDirectors, o.providesInterventions = r.providesInterventions`},
	{"directors", `
		UNWIND $directors AS r
		MATCH (o:Organisation {id: r.organisation})
		MERGE (d:Director {id: r.id})
		SET d.name = r.name, d.expertise = r.expertise, d.capacity = r.capacity
		MERGE (d)-[:EMPLOYED_BY]->(o)
		WITH d, r
		UNWIND r.municipalities AS code
		MATCH (m:Municipality {code: code})
		MERGE (d)-[:SERVES]->(m)`},
	{"persons", `
		UNWIND $persons AS r
		MERGE (p:Person {id: r.id})
		SET p.firstName = r.firstName, p.lastName = r.lastName, p.aliases = r.aliases,
		    p.birthDate = r.birthDate, p.notes = r.notes
		WITH p, r WHERE r.municipality <> ''
		MATCH (m:Municipality {code: r.municipality})
		MERGE (p)-[:LIVES_IN]->(m)`},
	{"relatives", `
		UNWIND $relatives AS r
		MATCH (a:Person {id: r.from}), (b:Person {id: r.to})
		MERGE (a)-[t:RELATIVE]->(b)
		SET t.kind = r.kind`},
	{"contacts", `
		UNWIND $contacts AS r
		MATCH (a:Person {id: r.from}), (b:Person {id: r.to})
		MERGE (a)-[t:CONTACT {network: r.network, role: r.role}]->(b)
		SET t.since = r.since, t.source = r.source, t.confidence = r.confidence`},
	{"memberships", `
		UNWIND $memberships AS r
		MATCH (p:Person {id: r.person}), (o:Organisation {id: r.organisation})
		MERGE (p)-[:MEMBER_OF]->(o)`},
	{"groups", `
		UNWIND $groups AS r
		MERGE (g:Group {id: r.id})
		SET g.name = r.name
		WITH g, r
		UNWIND r.members AS pid
		MATCH (p:Person {id: pid})
		MERGE (p)-[:IN_GROUP]->(g)`},
	{"offerings", `
		UNWIND $offerings AS r
		MATCH (o:Organisation {id: r.provider})
		MERGE (f:InterventionOffering {id: r.id})
		SET f.name = r.name, f.description = r.description, f.targetRiskGroups = r.targetRiskGroups
		MERGE (o)-[:OFFERS]->(f)`},
	{"cases", `
		UNWIND $cases AS r
		MATCH (m:Municipality {code: r.municipality})
		MERGE (c:Case {id: r.id})
		ON CREATE SET c.version = 1
		SET c.reference = r.reference, c.phase = r.phase, c.escalationLevel = r.escalationLevel,
		    c.riskGroups = r.riskGroups, c.ideology = r.ideology, c.riskLevel = r.riskLevel,
		    c.summary = r.summary, c.openedAt = r.openedAt, c.updatedAt = r.updatedAt,
		    c.nextReview = r.nextReview, c.closedAt = r.closedAt
		MERGE (c)-[:IN]->(m)
		WITH c, r
		CALL (c, r) {
			UNWIND r.subjects AS pid
			MATCH (p:Person {id: pid})
			MERGE (c)-[:CONCERNS]->(p)
		}
		CALL (c, r) {
			WITH c, r WHERE r.group <> ''
			MATCH (g:Group {id: r.group})
			MERGE (c)-[:CONCERNS]->(g)
		}
		CALL (c, r) {
			WITH c, r WHERE r.director <> ''
			MATCH (d:Director {id: r.director})
			MERGE (d)-[:DIRECTS]->(c)
		}`},
	{"interventions", `
		UNWIND $interventions AS r
		MATCH (c:Case {id: r.case}), (f:InterventionOffering {id: r.offering})
		MERGE (i:Intervention {id: r.id})
		SET i.status = r.status, i.goal = r.goal, i.startedOn = r.start, i.endedOn = r.end,
		    i.outcome = r.outcome, i.proposedAt = r.proposedAt
		MERGE (c)-[:HAS]->(i)
		MERGE (i)-[:OF]->(f)`},
	{"measures", `
		UNWIND $measures AS r
		MATCH (c:Case {id: r.case})
		MERGE (x:Measure {id: r.id})
		SET x.type = r.type, x.decision = r.decision, x.decidedById = 'seed', x.decidedByName = r.decidedBy,
		    x.reason = r.reason, x.decidedAt = r.decidedAt
		MERGE (c)-[:HAS_MEASURE]->(x)`},
	{"signals", `
		UNWIND $signals AS r
		MATCH (m:Municipality {code: r.municipality}), (o:Organisation {id: r.organisation})
		MERGE (s:Signal {id: r.id})
		SET s.reporterName = r.reporterName, s.description = r.description,
		    s.indicators = r.indicators, s.receivedAt = r.receivedAt, s.status = r.status,
		    s.dismissReason = r.dismissReason, s.municipality = m.code
		MERGE (s)-[:FROM]->(o)
		WITH s, r
		CALL (s, r) {
			UNWIND r.about AS pid
			MATCH (p:Person {id: pid})
			MERGE (s)-[:ABOUT]->(p)
		}
		CALL (s, r) {
			WITH s, r WHERE r.case <> ''
			MATCH (c:Case {id: r.case})
			MERGE (s)-[:LED_TO]->(c)
		}`},
	{"final reports", `
		UNWIND $cases AS r
		WITH r WHERE r.phase = 'CLOSED'
		MATCH (c:Case {id: r.id})-[:IN]->(m:Municipality)
		MERGE (c)-[:HAS_REPORT]->(f:FinalReport)
		SET f.summary = r.summary, f.outcome = r.closeReason,
		    f.recommendations = 'Geen verdere actie vanuit de casusaanpak; signalen opnieuw melden bij het Zorg- en Veiligheidshuis.',
		    f.addressedTo = m.mayor, f.municipality = m.code,
		    f.writtenById = coalesce(r.director, 'seed'), f.writtenByName = 'demo data', f.writtenAt = r.closedAt`},
	{"weighing criteria", `
		UNWIND $criteria AS r
		MERGE (k:WeighingCriterion {code: r.code})
		SET k.label = r.label, k.position = r.position`},
	{"weighings", `
		UNWIND $weighings AS r
		MATCH (c:Case {id: r.case})
		MERGE (c)-[:HAS_WEIGHING]->(w:Weighing {id: r.id})
		SET w.outcome = r.outcome, w.reasons = r.reasons, w.missingInformation = r.missing, w.informationDue = r.due,
		    w.weighedOn = r.on, w.recordedById = 'seed', w.recordedBy = 'demo data', w.recordedAt = r.at,
		    w.memberOrganisations = r.orgs, w.memberNames = r.names,
		    w.criteria = r.codes, w.criteriaMet = r.met, w.explanations = r.explanations`},
	{"conferences", `
		UNWIND $conferences AS r
		MATCH (c:Case {id: r.case})
		MERGE (c)-[:HAS_CONFERENCE]->(k:Conference {id: r.id})
		SET k.date = r.date, k.startsAt = r.startsAt, k.endsAt = r.endsAt, k.chair = r.chair,
		    k.minutes = r.minutes, k.held = r.minutes IS NOT NULL, k.createdAt = r.at
		WITH k, r
		CALL (k, r) {
			UNWIND r.invitations AS v
			MATCH (o:Organisation {id: v.organisation})
			MERGE (k)-[i:INVITES]->(o)
			SET i.person = v.person, i.attended = v.attended
		}
		CALL (k, r) {
			UNWIND r.agenda AS a
			MERGE (k)-[:HAS_ITEM]->(x:AgendaItem {position: a.position})
			SET x.title = a.title, x.organisation = a.organisation
		}
		CALL (k, r) {
			UNWIND r.contributions AS a
			MERGE (k)-[:HAS_CONTRIBUTION]->(x:Contribution {position: a.position})
			SET x.organisation = a.organisation, x.summary = a.summary, x.legalGround = a.legalGround
		}
		CALL (k, r) {
			UNWIND r.decisions AS a
			MERGE (k)-[:DECIDED]->(x:Decision {position: a.position})
			SET x.text = a.text, x.organisations = a.organisations
		}`},
	{"goals", `
		UNWIND $goals AS r
		MATCH (c:Case {id: r.case})
		MERGE (c)-[:HAS_GOAL]->(g:Goal {id: r.id})
		SET g.domain = r.domain, g.description = r.description, g.createdAt = r.createdAt, g.progressAt = r.progressAt
		WITH c, g, r
		CALL (c, g, r) {
			UNWIND r.interventions AS iid
			MATCH (c)-[:HAS]->(i:Intervention {id: iid})
			MERGE (i)-[:SERVES]->(g)
		}
		CALL (c, g, r) {
			UNWIND r.actions AS a
			MERGE (g)-[:HAS_ACTION]->(pa:PlanAction {id: a.id})
			SET pa.description = a.description, pa.organisation = a.organisation, pa.owner = a.owner, pa.due = a.due,
			    pa.condition = a.condition, pa.status = a.status, pa.result = a.result,
			    pa.createdAt = r.createdAt, pa.updatedAt = r.progressAt
			WITH pa, a WHERE a.conference <> ''
			MATCH (c)-[:HAS_CONFERENCE]->(k:Conference {id: a.conference})
			MERGE (pa)-[:DECIDED_AT]->(k)
		}`},
	{"assessments", `
		UNWIND $assessments AS r
		MATCH (c:Case {id: r.case})
		MERGE (c)-[:HAS_ASSESSMENT]->(x:RiskAssessment {id: r.id})
		SET x.instrument = r.instrument, x.version = r.version, x.assessor = r.assessor,
		    x.assessorOrganisation = r.organisation, x.accredited = r.accredited, x.on = r.on,
		    x.outcome = r.outcome, x.scenarios = r.scenarios, x.nextOn = r.nextOn, x.recordedAt = r.at`},
	{"informing", `
		UNWIND $informing AS r
		MATCH (c:Case {id: r.case})
		SET c.informed = r.informed, c.informedOn = r.on, c.informedBy = r.by,
		    c.notInformedGround = r.ground, c.reconsiderOn = r.reconsiderOn`},
	{"reference counters", `
		UNWIND $counters AS r
		MERGE (n:Counter {name: r.name})
		ON CREATE SET n.value = 0
		SET n.value = CASE WHEN n.value < r.value THEN r.value ELSE n.value END`},
}

// seedEvent writes one case event unless it exists, with the next sequence
// number of the event log.
const seedEvent = `
	MATCH (c:Case {id: $caseId})
	WHERE NOT EXISTS { MATCH (:CaseEvent {id: $id}) }
	MERGE (s:Counter {name: 'case-event'})
	ON CREATE SET s.value = 0
	SET s.value = s.value + 1
	CREATE (e:CaseEvent {
		id: $id, seq: s.value, type: $type, actorId: 'seed', actorName: 'demo data',
		actorRole: 'SYSTEM', at: $at, reason: $reason, changes: $changes
	})-[:ON]->(c)`

// Seed writes data in one transaction and returns how many cases it holds.
// Seeding the same data again changes nothing.
func (db *DB) Seed(ctx context.Context, data region.Data) (int, error) {
	if len(data.Escalation) > 0 {
		if err := data.Escalation.Validate(); err != nil {
			return 0, err
		}
		for _, a := range data.Escalation {
			for _, p := range a.Participants {
				if !slices.ContainsFunc(data.Organisations, func(o region.Organisation) bool { return o.ID == p.OrganisationID }) {
					return 0, casus.Invalid("escalation", "level %s names organisation %q, which the region does not have", a.Level, p.OrganisationID)
				}
			}
		}
	}
	params, events := seedParams(data)
	_, err := write(ctx, db, func(tx *Tx) (struct{}, error) {
		for _, st := range slices.Concat(seedStatements, seedEscalation) {
			if _, err := db.collect(ctx, tx, st.cypher, params); err != nil {
				return struct{}{}, fmt.Errorf("seed %s: %w", st.name, err)
			}
		}
		for _, ev := range events {
			if _, err := db.collect(ctx, tx, seedEvent, ev); err != nil {
				return struct{}{}, fmt.Errorf("seed case events: %w", err)
			}
		}
		return struct{}{}, nil
	})
	if err != nil {
		return 0, err
	}
	return len(data.Cases), nil
}

// seedParams turns data into the statements' parameters, and the case events
// of every case's course into one parameter map each.
func seedParams(data region.Data) (map[string]any, []map[string]any) {
	p := map[string]any{}
	var rows []map[string]any
	for _, m := range data.Municipalities {
		rows = append(rows, map[string]any{"code": m.Code, "name": m.Name, "inhabitants": m.Inhabitants, "mayor": m.Mayor})
	}
	p["municipalities"], rows = rows, nil
	for _, o := range data.Organisations {
		rows = append(rows, map[string]any{"id": o.ID, "name": o.Name, "type": string(o.Type),
			"providesDirectors": o.ProvidesDirectors, "providesInterventions": o.ProvidesInterventions})
	}
	p["organisations"], rows = rows, nil
	for _, d := range data.Directors {
		rows = append(rows, map[string]any{"id": d.ID, "name": d.Name, "organisation": d.OrganisationID,
			"municipalities": nonNil(d.Municipalities), "expertise": nonNil(d.Expertise), "capacity": d.Capacity})
	}
	p["directors"], rows = rows, nil
	for _, x := range data.Persons {
		rows = append(rows, map[string]any{"id": x.ID, "firstName": x.FirstName, "lastName": x.LastName,
			"aliases": nonNil(x.Aliases), "birthDate": date(x.BirthDate), "municipality": x.Municipality, "notes": x.Notes})
	}
	p["persons"], rows = rows, nil
	for _, r := range data.Relatives {
		rows = append(rows, map[string]any{"from": r.From, "to": r.To, "kind": string(r.Kind)})
	}
	p["relatives"], rows = rows, nil
	for _, c := range data.Contacts {
		rows = append(rows, map[string]any{"from": c.From, "to": c.To, "network": string(c.Network), "role": string(c.Role),
			"since": date(c.Since), "source": c.Source, "confidence": c.Confidence})
	}
	p["contacts"], rows = rows, nil
	for _, m := range data.Memberships {
		rows = append(rows, map[string]any{"person": m.PersonID, "organisation": m.OrganisationID})
	}
	p["memberships"], rows = rows, nil
	for _, g := range data.Groups {
		rows = append(rows, map[string]any{"id": g.ID, "name": g.Name, "members": nonNil(g.Members)})
	}
	p["groups"], rows = rows, nil
	for _, f := range data.Offerings {
		rows = append(rows, map[string]any{"id": f.ID, "provider": f.ProviderID, "name": f.Name,
			"description": f.Description, "targetRiskGroups": nonNil(f.TargetRiskGroups)})
	}
	p["offerings"], rows = rows, nil

	var interventions, measures, events []map[string]any
	counters := map[string]int{}
	for _, c := range data.Cases {
		updated := c.OpenedAt
		if n := len(c.Course); n > 0 {
			updated = c.Course[n-1].At
		}
		rows = append(rows, map[string]any{"id": c.ID, "reference": c.Reference, "municipality": c.Municipality,
			"subjects": nonNil(c.Subjects), "group": c.GroupID, "riskGroups": nonNil(c.RiskGroups),
			"ideology": string(c.Ideology), "riskLevel": string(c.RiskLevel), "phase": string(c.Phase),
			"escalationLevel": string(c.EscalationLevel), "director": c.DirectorID, "summary": c.Summary,
			"openedAt": c.OpenedAt.UTC(), "updatedAt": updated.UTC(), "nextReview": date(c.NextReview),
			"closedAt": closedAt(c), "closeReason": lastReason(c)})
		for _, i := range c.Interventions {
			interventions = append(interventions, map[string]any{"id": i.ID, "case": c.ID, "offering": i.OfferingID,
				"status": string(i.Status), "goal": i.Goal, "start": date(i.Start), "end": date(i.End), "outcome": i.Outcome,
				"proposedAt": proposedAt(c, i)})
		}
		for _, m := range c.Measures {
			measures = append(measures, map[string]any{"id": m.ID, "case": c.ID, "type": string(m.Type),
				"decision": string(m.Decision), "decidedBy": m.DecidedBy, "reason": m.Reason, "decidedAt": timeOrNil(m.DecidedAt)})
		}
		course := []map[string]any{{"caseId": c.ID, "id": c.ID + "-event-0",
			"type": casus.EventCaseOpened, "at": c.OpenedAt.UTC(), "reason": "demo data",
			"changes": casus.ChangesJSON([]casus.Change{{Field: "phase", After: casus.PhaseRegistered}})}}
		prev := casus.PhaseRegistered
		for n, mv := range c.Course {
			typ := casus.EventPhaseChanged
			if mv.Phase == casus.PhaseClosed {
				typ = casus.EventCaseClosed
			}
			course = append(course, map[string]any{"caseId": c.ID, "id": c.ID + "-event-" + strconv.Itoa(n+1),
				"type": typ, "at": mv.At.UTC(), "reason": mv.Reason,
				"changes": casus.ChangesJSON([]casus.Change{{Field: "phase", Before: prev, After: mv.Phase}})})
			prev = mv.Phase
		}
		// The recorded escalations are events of the course too, in the
		// order they happened.
		for _, x := range c.Escalations {
			typ := casus.EventEscalated
			if !x.Up {
				typ = casus.EventDeescalated
			}
			course = append(course, map[string]any{"caseId": c.ID, "id": c.ID + "-event-" + x.ID,
				"type": typ, "at": x.At.UTC(), "reason": x.Reason,
				"changes": casus.ChangesJSON([]casus.Change{{Field: "escalationLevel", Before: x.From, After: x.To}})})
		}
		slices.SortStableFunc(course, func(a, b map[string]any) int { return a["at"].(time.Time).Compare(b["at"].(time.Time)) })
		events = append(events, course...)
		// References look like AM-2026-0007: keep each year's counter past
		// the seeded numbers, so that new cases never collide with them.
		if parts := strings.Split(c.Reference, "-"); len(parts) == 3 {
			if n, err := strconv.Atoi(parts[2]); err == nil {
				name := "case-reference-" + parts[1]
				counters[name] = max(counters[name], n)
			}
		}
	}
	p["cases"], rows = rows, nil
	p["interventions"], p["measures"] = interventions, measures
	addProcess(p, data)
	for _, s := range data.Signals {
		rows = append(rows, map[string]any{"id": s.ID, "reporterName": s.ReporterName, "organisation": s.OrganisationID,
			"municipality": s.Municipality, "description": s.Description, "indicators": nonNil(s.Indicators),
			"receivedAt": s.ReceivedAt.UTC(), "status": string(s.Status), "about": nonNil(s.About), "case": s.CaseID,
			"dismissReason": s.DismissReason})
	}
	p["signals"], rows = rows, nil
	for name, n := range counters {
		rows = append(rows, map[string]any{"name": name, "value": n})
	}
	p["counters"] = rows
	return p, events
}

// date returns t as a Neo4j date, or nil for the zero time.
func date(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return driver.DateOf(t)
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// timePtrOrNil is timeOrNil for a time that may be missing.
func timePtrOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func nonNil[T ~string](s []T) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return out
}

// proposedAt is when a seeded intervention was proposed: the day it started,
// or else the case's last move.
func proposedAt(c region.Case, i region.Intervention) time.Time {
	if !i.Start.IsZero() {
		return i.Start.UTC()
	}
	if n := len(c.Course); n > 0 {
		return c.Course[n-1].At.UTC()
	}
	return c.OpenedAt.UTC()
}

// closedAt is when a seeded closed case closed: its last move.
func closedAt(c region.Case) any {
	if c.Phase != casus.PhaseClosed || len(c.Course) == 0 {
		return nil
	}
	return c.Course[len(c.Course)-1].At.UTC()
}

// lastReason is the reason of a seeded case's last move.
func lastReason(c region.Case) string {
	if len(c.Course) == 0 {
		return ""
	}
	return c.Course[len(c.Course)-1].Reason
}

// addProcess adds the parameters of the work inside the phases: the weighing
// list and each case's weighings, conferences, plan, assessments and
// informing.
func addProcess(p map[string]any, data region.Data) {
	criteria := []map[string]any{}
	for i, k := range data.Criteria {
		criteria = append(criteria, map[string]any{"code": k.Code, "label": k.Label, "position": i})
	}
	weighings, conferences, goals, assessments, informing := []map[string]any{}, []map[string]any{}, []map[string]any{}, []map[string]any{}, []map[string]any{}
	for _, c := range data.Cases {
		for _, w := range c.Weighings {
			var orgs, names, codes, explanations []string
			var met []bool
			for _, m := range w.Members {
				orgs, names = append(orgs, m.OrganisationID), append(names, m.Name)
			}
			for _, k := range w.Criteria {
				codes, met, explanations = append(codes, k.Code), append(met, k.Met), append(explanations, k.Explanation)
			}
			weighings = append(weighings, map[string]any{"case": c.ID, "id": w.ID, "outcome": string(w.Outcome), "reasons": w.Reasons,
				"missing": textOrNil(w.MissingInformation), "due": date(w.InformationDue), "on": date(w.WeighedOn), "at": w.WeighedOn.UTC(),
				"orgs": nonNil(orgs), "names": nonNil(names), "codes": nonNil(codes), "met": append([]bool{}, met...), "explanations": nonNil(explanations)})
		}
		for _, k := range c.Conferences {
			var invitations, agenda, contributions, decisions []map[string]any
			for _, v := range k.Invitations {
				var attended any
				if v.Attended != nil {
					attended = *v.Attended
				}
				invitations = append(invitations, map[string]any{"organisation": v.OrganisationID, "person": textOrNil(v.Person), "attended": attended})
			}
			for i, a := range k.Agenda {
				agenda = append(agenda, map[string]any{"position": i, "title": a.Title, "organisation": textOrNil(a.OrganisationID)})
			}
			for i, x := range k.Contributions {
				contributions = append(contributions, map[string]any{"position": i, "organisation": x.OrganisationID, "summary": x.Summary, "legalGround": x.LegalGround})
			}
			for i, d := range k.Decisions {
				decisions = append(decisions, map[string]any{"position": i, "text": d.Text, "organisations": nonNil(d.OrganisationIDs)})
			}
			conferences = append(conferences, map[string]any{"case": c.ID, "id": k.ID, "date": date(k.Date), "startsAt": k.StartsAt,
				"endsAt": k.EndsAt, "chair": k.Chair, "minutes": textOrNil(k.Minutes), "at": k.Date.UTC(),
				"invitations": nonNilMaps(invitations), "agenda": nonNilMaps(agenda), "contributions": nonNilMaps(contributions), "decisions": nonNilMaps(decisions)})
		}
		for _, g := range c.Goals {
			progress := g.ProgressAt
			if progress.IsZero() {
				progress = g.CreatedAt
			}
			var actions []map[string]any
			for _, a := range g.Actions {
				actions = append(actions, map[string]any{"id": a.ID, "conference": a.ConferenceID, "description": a.Description,
					"organisation": a.OrganisationID, "owner": textOrNil(a.Owner), "due": date(a.Due), "condition": textOrNil(a.Condition),
					"status": string(a.Status), "result": textOrNil(a.Result)})
			}
			goals = append(goals, map[string]any{"case": c.ID, "id": g.ID, "domain": string(g.Domain), "description": g.Description,
				"createdAt": g.CreatedAt.UTC(), "progressAt": progress.UTC(), "interventions": nonNil(g.Interventions), "actions": nonNilMaps(actions)})
		}
		for _, a := range c.Assessments {
			assessments = append(assessments, map[string]any{"case": c.ID, "id": a.ID, "instrument": string(a.Instrument),
				"version": textOrNil(a.Version), "assessor": a.Assessor, "organisation": textOrNil(a.OrganisationID), "accredited": a.Accredited,
				"on": date(a.On), "outcome": string(a.Outcome), "scenarios": textOrNil(a.Scenarios), "nextOn": date(a.NextOn), "at": a.On.UTC()})
		}
		if i := c.Informing; i != nil {
			informing = append(informing, map[string]any{"case": c.ID, "informed": i.Informed, "on": datePtrParam(i.On),
				"by": textOrNil(i.By), "ground": textOrNil(i.Ground), "reconsiderOn": datePtrParam(i.ReconsiderOn)})
		}
	}
	p["agreements"] = agreementRows(data.Escalation)
	p["escalations"], p["advice"] = escalationRows(data.Cases)
	p["questions"], p["shares"] = knownRows(data)
	p["criteria"], p["weighings"], p["conferences"], p["goals"], p["assessments"], p["informing"] = criteria, weighings, conferences, goals, assessments, informing
}
