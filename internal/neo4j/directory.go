package neo4j

import (
	"context"
	"fmt"

	"casusnet/internal/casus"
)

// DirectoryService is casus.DirectoryService on Neo4j.
type DirectoryService struct {
	db *DB
}

var _ casus.DirectoryService = (*DirectoryService)(nil)

// NewDirectoryService returns a DirectoryService on db.
func NewDirectoryService(db *DB) *DirectoryService { return &DirectoryService{db: db} }

const municipalityProjection = `m {.code, .name, .inhabitants, .mayor}`

// Municipalities returns every municipality, ordered by name.
func (s *DirectoryService) Municipalities(ctx context.Context) ([]*casus.Municipality, error) {
	return all(ctx, s.db, "municipalities", `MATCH (m:Municipality) RETURN `+municipalityProjection+` AS row ORDER BY m.name`, nil, decodeMunicipality)
}

// MunicipalitiesByCode returns the municipalities with these codes, in order.
func (s *DirectoryService) MunicipalitiesByCode(ctx context.Context, codes []string) ([]*casus.Municipality, error) {
	return byID(ctx, s.db, "municipalities", codes,
		`MATCH (m:Municipality) WHERE m.code IN $ids RETURN m.code AS id, `+municipalityProjection+` AS row`, nil, decodeMunicipality)
}

const organisationProjection = `o {.id, .name, .type, .providesDirectors, .providesInterventions}`

// Organisations returns every organisation, ordered by name.
func (s *DirectoryService) Organisations(ctx context.Context) ([]*casus.Organisation, error) {
	return all(ctx, s.db, "organisations", `MATCH (o:Organisation) RETURN `+organisationProjection+` AS row ORDER BY o.name, o.id`, nil, decodeOrganisation)
}

// OrganisationsByID returns the organisations with ids, in order.
func (s *DirectoryService) OrganisationsByID(ctx context.Context, ids []string) ([]*casus.Organisation, error) {
	return byID(ctx, s.db, "organisations", ids,
		`MATCH (o:Organisation) WHERE o.id IN $ids RETURN o.id AS id, `+organisationProjection+` AS row`, nil, decodeOrganisation)
}

// directorProjection reads a director, with the number of open cases they
// direct that the scope sees: a director's load elsewhere is not the
// caller's to count.
func directorProjection(sc scope) string { return directorProjectionOf(sc, true) }

// directorProjectionOf is directorProjection, with the count of open cases
// only when openCases is set: it is most of what reading a director costs.
func directorProjectionOf(sc scope, openCases bool) string {
	count := ""
	if openCases {
		count = `,
	openCases: COUNT { (d)-[:DIRECTS]->(dc:Case) WHERE dc.phase <> 'CLOSED' AND ` + sc.cases("dc") + ` }`
	}
	return `d {.id, .name, .expertise, .capacity,
	organisation: [(d)-[:EMPLOYED_BY]->(o:Organisation) | o.id][0],
	municipalities: [(d)-[:SERVES]->(m:Municipality) | m.code]` + count + `
}`
}

// Directors returns every director, ordered by name.
func (s *DirectoryService) Directors(ctx context.Context) ([]*casus.Director, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return all(ctx, s.db, "directors", `MATCH (d:Director) RETURN `+directorProjection(sc)+` AS row ORDER BY d.name, d.id`, sc.params(nil), decodeDirector)
}

// DirectorsByID returns the directors with ids, in order.
func (s *DirectoryService) DirectorsByID(ctx context.Context, ids []string) ([]*casus.Director, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return byID(ctx, s.db, "directors", ids,
		`MATCH (d:Director) WHERE d.id IN $ids RETURN d.id AS id, `+directorProjection(sc)+` AS row`, sc.params(nil), decodeDirector)
}

// directorsByID reads directors inside a transaction, counting every case
// they direct: for the rules that weigh a director's whole load.
func (db *DB) directorsByID(ctx context.Context, tx runner, ids []string) ([]*casus.Director, error) {
	all := scope{actor: casus.Actor{Role: casus.RoleCoordinator}}
	return inTx(ctx, db, tx, ids, `MATCH (d:Director) WHERE d.id IN $ids RETURN d.id AS id, `+directorProjection(all)+` AS row`, all.params(nil), decodeDirector)
}

const offeringProjection = `f {.id, .name, .description, .targetRiskGroups,
	provider: [(o:Organisation)-[:OFFERS]->(f) | o.id][0]
}`

// Offerings returns every offering, ordered by provider and name.
func (s *DirectoryService) Offerings(ctx context.Context) ([]*casus.Offering, error) {
	return all(ctx, s.db, "offerings", `
		MATCH (o:Organisation)-[:OFFERS]->(f:InterventionOffering)
		RETURN `+offeringProjection+` AS row ORDER BY o.name, f.name, f.id`, nil, decodeOffering)
}

// OfferingsByID returns the offerings with ids, in order.
func (s *DirectoryService) OfferingsByID(ctx context.Context, ids []string) ([]*casus.Offering, error) {
	return byID(ctx, s.db, "offerings", ids,
		`MATCH (f:InterventionOffering) WHERE f.id IN $ids RETURN f.id AS id, `+offeringProjection+` AS row`, nil, decodeOffering)
}

// offeringsByID reads offerings inside a transaction.
func (db *DB) offeringsByID(ctx context.Context, tx runner, ids []string) ([]*casus.Offering, error) {
	return inTx(ctx, db, tx, ids, `MATCH (f:InterventionOffering) WHERE f.id IN $ids RETURN f.id AS id, `+offeringProjection+` AS row`, nil, decodeOffering)
}

// all runs cypher, which returns one decodable value per row, as "row".
func all[T any](ctx context.Context, db *DB, what, cypher string, params map[string]any, decode func(any) (*T, error)) ([]*T, error) {
	out, err := read(ctx, db, func(tx txRunner) ([]*T, error) {
		recs, err := db.collect(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		out := make([]*T, 0, len(recs))
		for _, r := range recs {
			row, err := column(r, "row")
			if err != nil {
				return nil, err
			}
			v, err := decode(row)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	return out, nil
}

// inTx is byID inside an open transaction.
func inTx[T any](ctx context.Context, db *DB, tx runner, ids []string, cypher string, params map[string]any, decode func(any) (*T, error)) ([]*T, error) {
	recs, err := db.collect(ctx, tx, cypher, withIDs(params, ids))
	if err != nil {
		return nil, err
	}
	found := make(map[string]*T, len(recs))
	for _, r := range recs {
		id, row, err := idAnd(r, "row")
		if err != nil {
			return nil, err
		}
		v, err := decode(row)
		if err != nil {
			return nil, err
		}
		found[id] = v
	}
	out := make([]*T, len(ids))
	for i, id := range ids {
		out[i] = found[id]
	}
	return out, nil
}

func asMap(what string, v any) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode %s: got %T", what, v)
	}
	return m, nil
}

func decodeMunicipality(v any) (*casus.Municipality, error) {
	m, err := asMap("municipality", v)
	if err != nil {
		return nil, err
	}
	return &casus.Municipality{Code: str(m["code"]), Name: str(m["name"]),
		Inhabitants: int(num(m["inhabitants"])), Mayor: str(m["mayor"])}, nil
}

func decodeOrganisation(v any) (*casus.Organisation, error) {
	m, err := asMap("organisation", v)
	if err != nil {
		return nil, err
	}
	return &casus.Organisation{ID: str(m["id"]), Name: str(m["name"]), Type: casus.OrganisationType(str(m["type"])),
		ProvidesDirectors: boolean(m["providesDirectors"]), ProvidesInterventions: boolean(m["providesInterventions"])}, nil
}

func decodeDirector(v any) (*casus.Director, error) {
	m, err := asMap("director", v)
	if err != nil {
		return nil, err
	}
	return &casus.Director{ID: str(m["id"]), Name: str(m["name"]), OrganisationID: str(m["organisation"]),
		Municipalities: strList(m["municipalities"]), Expertise: strList(m["expertise"]),
		Capacity: int(num(m["capacity"])), OpenCases: int(num(m["openCases"]))}, nil
}

func decodeOffering(v any) (*casus.Offering, error) {
	m, err := asMap("offering", v)
	if err != nil {
		return nil, err
	}
	o := &casus.Offering{ID: str(m["id"]), ProviderID: str(m["provider"]), Name: str(m["name"]),
		Description: str(m["description"])}
	for _, g := range strList(m["targetRiskGroups"]) {
		o.TargetRiskGroups = append(o.TargetRiskGroups, casus.RiskGroup(g))
	}
	return o, nil
}
