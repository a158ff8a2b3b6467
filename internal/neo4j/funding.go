package neo4j

import (
	"context"
	"fmt"

	"casusnet/internal/casus"
)

// FundingService is casus.FundingService on Neo4j. Yearly figures are
// InhabitantCount nodes, one per municipality and year.
type FundingService struct{ db *DB }

var _ casus.FundingService = (*FundingService)(nil)

// NewFundingService returns the funding service of db.
func NewFundingService(db *DB) *FundingService { return &FundingService{db: db} }

// InhabitantsFor returns each municipality's figure for year, in code
// order: the latest yearly figure up to year, else the registered one.
func (s *FundingService) InhabitantsFor(ctx context.Context, year int) ([]casus.Inhabitants, error) {
	if err := casus.PermitRead(ctx, casus.ReadFunding); err != nil {
		return nil, err
	}
	if year < 1900 || year > 2200 {
		return nil, casus.Invalid("year", "year must be 1900 to 2200")
	}
	out, err := read(ctx, s.db, func(tx txRunner) ([]casus.Inhabitants, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (m:Municipality)
			OPTIONAL MATCH (n:InhabitantCount {code: m.code}) WHERE n.year <= $year
			WITH m, n ORDER BY n.year DESC
			WITH m, collect(n)[0] AS latest
			RETURN m.code AS code, coalesce(latest.inhabitants, m.inhabitants, 0) AS inhabitants, coalesce(latest.year, 0) AS year
			ORDER BY m.code`, map[string]any{"year": year})
		if err != nil {
			return nil, err
		}
		out := make([]casus.Inhabitants, len(recs))
		for i, r := range recs {
			c, err := columns(r, "code", "inhabitants", "year")
			if err != nil {
				return nil, err
			}
			out[i] = casus.Inhabitants{MunicipalityCode: str(c[0]), Inhabitants: num(c[1]), Year: int(num(c[2]))}
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("inhabitants for %d: %w", year, err)
	}
	return out, nil
}

// SetInhabitants records a municipality's inhabitants for a year.
func (s *FundingService) SetInhabitants(ctx context.Context, in casus.Inhabitants) error {
	if err := casus.Permit(ctx, casus.ActSetInhabitants); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	actor, _ := casus.ActorFrom(ctx)
	_, err := write(ctx, s.db, func(tx txRunner) (struct{}, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (m:Municipality {code: $code})
			MERGE (n:InhabitantCount {code: $code, year: $year})
			SET n.inhabitants = $inhabitants, n.setBy = $actor, n.setAt = $now
			RETURN count(n) AS updated`, map[string]any{"code": in.MunicipalityCode, "year": in.Year, "inhabitants": in.Inhabitants,
			"actor": actor.ID, "now": s.db.now()})
		if err != nil {
			return struct{}{}, err
		}
		updated, err := only(recs, "updated")
		if err != nil {
			return struct{}{}, err
		}
		if num(updated) == 0 {
			return struct{}{}, casus.Invalid("municipality", "unknown municipality %q", in.MunicipalityCode)
		}
		return struct{}{}, nil
	})
	if err != nil {
		return fmt.Errorf("set inhabitants of %s in %d: %w", in.MunicipalityCode, in.Year, err)
	}
	return nil
}
