package neo4j

import (
	"context"
	"fmt"
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
		    s.dismissReason = r.dismissReason
		MERGE (s)-[:IN]->(m)
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
	params, events := seedParams(data)
	_, err := write(ctx, db, func(tx *Tx) (struct{}, error) {
		for _, st := range seedStatements {
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
		events = append(events, map[string]any{"caseId": c.ID, "id": c.ID + "-event-0",
			"type": casus.EventCaseOpened, "at": c.OpenedAt.UTC(), "reason": "demo data",
			"changes": casus.ChangesJSON([]casus.Change{{Field: "phase", After: casus.PhaseRegistered}})})
		prev := casus.PhaseRegistered
		for n, mv := range c.Course {
			typ := casus.EventPhaseChanged
			if mv.Phase == casus.PhaseClosed {
				typ = casus.EventCaseClosed
			}
			events = append(events, map[string]any{"caseId": c.ID, "id": c.ID + "-event-" + strconv.Itoa(n+1),
				"type": typ, "at": mv.At.UTC(), "reason": mv.Reason,
				"changes": casus.ChangesJSON([]casus.Change{{Field: "phase", Before: prev, After: mv.Phase}})})
			prev = mv.Phase
		}
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
