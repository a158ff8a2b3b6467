package neo4j

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// WeighingService records weighings on Neo4j.
type WeighingService struct{ db *DB }

var _ casus.WeighingService = (*WeighingService)(nil)

// NewWeighingService returns the weighing service of db.
func NewWeighingService(db *DB) *WeighingService { return &WeighingService{db: db} }

const weighingProjection = `w {
	.id, .outcome, .reasons, .missingInformation, .informationDue, .weighedOn, .recordedBy, .recordedAt,
	.memberOrganisations, .memberNames, .criteria, .criteriaMet, .explanations,
	case: [(wc:Case)-[:HAS_WEIGHING]->(w) | wc.id][0]
}`

// Criteria returns the region's weighing list: the criteria loaded with
// the region's data, or casus.DefaultCriteria when it has none.
func (s *WeighingService) Criteria(ctx context.Context) ([]casus.Criterion, error) {
	return read(ctx, s.db, func(tx txRunner) ([]casus.Criterion, error) { return s.db.criteria(ctx, tx) })
}

func (db *DB) criteria(ctx context.Context, tx runner) ([]casus.Criterion, error) {
	recs, err := db.collect(ctx, tx, `MATCH (k:WeighingCriterion) RETURN k.code AS code, k.label AS label ORDER BY k.position, k.code`, nil)
	if err != nil {
		return nil, fmt.Errorf("read weighing criteria: %w", err)
	}
	if len(recs) == 0 {
		return casus.DefaultCriteria, nil
	}
	out := make([]casus.Criterion, 0, len(recs))
	for _, r := range recs {
		vs, err := columns(r, "code", "label")
		if err != nil {
			return nil, err
		}
		out = append(out, casus.Criterion{Code: str(vs[0]), Label: str(vs[1])})
	}
	return out, nil
}

// WeighingsOfCases returns each visible case's weighings, oldest first.
func (s *WeighingService) WeighingsOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Weighing, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "weighings of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (c:Case {id: id})-[:HAS_WEIGHING]->(w:Weighing) WHERE `+sc.cases("c")+`
		WITH id, w ORDER BY w.recordedAt, w.id
		RETURN id, collect(`+weighingProjection+`) AS rows`, sc.params(nil), decodeWeighing)
}

// RecordWeighing records a weighing in ASSESSMENT and moves the case as its
// outcome says: INCLUDE to the case conference; NO_ACTION and a referral to
// the public prosecutor close it, with a final report that gives the
// weighing as the ground.
func (s *WeighingService) RecordWeighing(ctx context.Context, in casus.WeighingInput) (*casus.Weighing, error) {
	if err := casus.Permit(ctx, casus.ActWeigh); err != nil {
		return nil, err
	}
	criteria, err := s.Criteria(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(criteria, s.db.now()); err != nil {
		return nil, err
	}
	actor, _ := casus.ActorFrom(ctx)
	id := uuid.NewString()
	_, err = changeCase(ctx, s.db, casus.ActWeigh, casus.CaseChange{CaseID: in.CaseID, ExpectedVersion: in.ExpectedVersion, Reason: in.Reasons},
		func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
			orgs := make([]string, len(in.Members))
			names := make([]string, len(in.Members))
			for i, m := range in.Members {
				orgs[i], names[i] = m.OrganisationID, m.Name
			}
			types, err := s.db.organisationTypes(ctx, tx, orgs)
			if err != nil {
				return caseEdit{}, err
			}
			if err := casus.CheckTeam(types); err != nil {
				return caseEdit{}, err
			}
			on := now
			if in.WeighedOn != nil {
				on = *in.WeighedOn
			}
			w := &casus.Weighing{ID: id, Outcome: in.Outcome}
			changes, err := c.Weigh(w)
			if err != nil {
				return caseEdit{}, err
			}
			codes := make([]string, len(in.Criteria))
			met := make([]bool, len(in.Criteria))
			explanations := make([]string, len(in.Criteria))
			for i, k := range in.Criteria {
				codes[i], met[i], explanations[i] = k.Code, k.Met, k.Explanation
			}
			edit := caseEdit{
				cypher: `WITH c
					CREATE (c)-[:HAS_WEIGHING]->(:Weighing {
						id: $wid, outcome: $outcome, reasons: $reasons, missingInformation: $missing,
						informationDue: $due, weighedOn: $on, recordedById: $actorId, recordedBy: $actorName, recordedAt: $now,
						memberOrganisations: $orgs, memberNames: $names, criteria: $codes, criteriaMet: $met, explanations: $explanations
					})`,
				params: map[string]any{"wid": id, "outcome": string(in.Outcome), "reasons": in.Reasons,
					"missing": textOrNil(in.MissingInformation), "due": datePtrParam(in.InformationDue), "on": date(on),
					"actorId": actor.ID, "actorName": actor.Name, "orgs": orgs, "names": names,
					"codes": codes, "met": met, "explanations": explanations},
				event: casus.EventWeighed, changes: changes,
			}
			switch to := in.Outcome.Phase(); to {
			case casus.PhaseCaseConference:
				edit.props = map[string]any{"phase": string(to)}
			case casus.PhaseClosed:
				edit.props = map[string]any{"phase": string(to), "closedAt": now, "nextReview": nil}
				edit.cypher += `
					WITH c
					MATCH (c)-[:IN]->(m:Municipality)
					CREATE (c)-[:HAS_REPORT]->(:FinalReport {
						summary: c.summary, outcome: $closing, recommendations: $recommendations,
						addressedTo: coalesce(m.mayor, 'de burgemeester van ' + m.name), municipality: m.code,
						writtenById: $actorId, writtenByName: $actorName, writtenAt: $now, weighing: $wid
					})`
				edit.params["closing"], edit.params["recommendations"] = closingOf(in)
			}
			return edit, nil
		})
	if err != nil {
		return nil, err
	}
	ws, err := s.WeighingsOfCases(ctx, []string{in.CaseID})
	if err != nil {
		return nil, err
	}
	for _, w := range ws[0] {
		if w.ID == id {
			return w, nil
		}
	}
	return nil, fmt.Errorf("weighing %s not read back", id)
}

// closingOf returns the outcome and recommendations of the final report of a
// case that a weighing closes.
func closingOf(in casus.WeighingInput) (outcome, recommendations string) {
	if in.Outcome == casus.WeighingRefer {
		return "Na weging overgedragen aan het Openbaar Ministerie. " + in.Reasons,
			"Het Openbaar Ministerie beslist over vervolging; de gemeente houdt geen casus open."
	}
	return "Na weging geen actie vanuit de persoonsgerichte aanpak. " + in.Reasons,
		"Nieuwe signalen opnieuw melden bij het Zorg- en Veiligheidshuis; dan volgt een nieuwe weging."
}

// organisationTypes returns the types of the organisations ids, nil for an
// unknown one.
func (db *DB) organisationTypes(ctx context.Context, tx runner, ids []string) ([]*casus.OrganisationType, error) {
	recs, err := db.collect(ctx, tx, `MATCH (o:Organisation) WHERE o.id IN $ids RETURN o.id AS id, o.type AS row`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	found := map[string]casus.OrganisationType{}
	for _, r := range recs {
		id, t, err := idAnd(r, "row")
		if err != nil {
			return nil, err
		}
		found[id] = casus.OrganisationType(str(t))
	}
	out := make([]*casus.OrganisationType, len(ids))
	for i, id := range ids {
		if t, ok := found[id]; ok {
			out[i] = &t
		}
	}
	return out, nil
}

// WeighingFigures counts the weighings of the visible cases, weighed in
// [from, to), per municipality and outcome.
func (s *WeighingService) WeighingFigures(ctx context.Context, from, to time.Time) ([]casus.WeighingFigure, error) {
	if !from.Before(to) {
		return nil, casus.Invalid("to", "the period ends after it starts")
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return read(ctx, s.db, func(tx txRunner) ([]casus.WeighingFigure, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (c:Case)-[:HAS_WEIGHING]->(w:Weighing)
			WHERE w.weighedOn >= $from AND w.weighedOn < $to AND `+sc.cases("c")+`
			MATCH (c)-[:IN]->(m:Municipality)
			RETURN m.code AS municipality, w.outcome AS outcome, count(*) AS n
			ORDER BY municipality, outcome`, sc.params(map[string]any{"from": date(from), "to": date(to)}))
		if err != nil {
			return nil, fmt.Errorf("count weighings: %w", err)
		}
		out := make([]casus.WeighingFigure, 0, len(recs))
		for _, r := range recs {
			vs, err := columns(r, "municipality", "outcome", "n")
			if err != nil {
				return nil, err
			}
			out = append(out, casus.WeighingFigure{MunicipalityCode: str(vs[0]), Outcome: casus.WeighingOutcome(str(vs[1])), Count: int(num(vs[2]))})
		}
		return out, nil
	})
}

func decodeWeighing(v any) (*casus.Weighing, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode weighing: got %T", v)
	}
	w := &casus.Weighing{
		ID: str(m["id"]), CaseID: str(m["case"]), Outcome: casus.WeighingOutcome(str(m["outcome"])),
		Reasons: str(m["reasons"]), MissingInformation: str(m["missingInformation"]),
		InformationDue: datePtr(m["informationDue"]), RecordedBy: str(m["recordedBy"]), RecordedAt: tm(m["recordedAt"]),
	}
	if d := datePtr(m["weighedOn"]); d != nil {
		w.WeighedOn = *d
	}
	orgs, names := strList(m["memberOrganisations"]), strList(m["memberNames"])
	for i := range min(len(orgs), len(names)) {
		w.Members = append(w.Members, casus.TeamMember{OrganisationID: orgs[i], Name: names[i]})
	}
	codes, met, expl := strList(m["criteria"]), list(m["criteriaMet"]), strList(m["explanations"])
	for i := range min(len(codes), len(met), len(expl)) {
		w.Criteria = append(w.Criteria, casus.CriterionCheck{Code: codes[i], Met: boolean(met[i]), Explanation: expl[i]})
	}
	return w, nil
}
