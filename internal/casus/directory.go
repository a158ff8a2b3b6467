package casus

import (
	"context"
	"slices"
)

// OrganisationType is the kind of party an organisation is in the approach.
type OrganisationType string

// Organisation types.
const (
	OrgMunicipalityOOV  OrganisationType = "MUNICIPALITY_OOV"
	OrgPolice           OrganisationType = "POLICE"
	OrgPublicProsecutor OrganisationType = "PUBLIC_PROSECUTOR"
	OrgNCTV             OrganisationType = "NCTV"
	OrgYouthWork        OrganisationType = "YOUTH_WORK"
	OrgWelfare          OrganisationType = "WELFARE"
	OrgYouthCare        OrganisationType = "YOUTH_CARE"
	OrgGGD              OrganisationType = "GGD"
	OrgSchool           OrganisationType = "SCHOOL"
	OrgOther            OrganisationType = "OTHER"
)

// OrganisationTypes lists every organisation type.
var OrganisationTypes = []OrganisationType{OrgMunicipalityOOV, OrgPolice, OrgPublicProsecutor, OrgNCTV,
	OrgYouthWork, OrgWelfare, OrgYouthCare, OrgGGD, OrgSchool, OrgOther}

// Valid reports whether t is a known organisation type.
func (t OrganisationType) Valid() bool { return slices.Contains(OrganisationTypes, t) }

// Organisation is a party in the approach: a municipality's OOV department,
// the police, the public prosecutor, the NCTV, or a partner that provides case
// directors or interventions.
type Organisation struct {
	ID                    string
	Name                  string
	Type                  OrganisationType
	ProvidesDirectors     bool
	ProvidesInterventions bool
}

// Director is a case director: a user employed by an organisation who runs
// cases for the municipalities they serve.
type Director struct {
	ID             string
	Name           string
	OrganisationID string
	Municipalities []string // CBS codes
	Expertise      []string // ideologies and risk groups they know best
	Capacity       int      // open cases they can carry at once
	OpenCases      int      // open cases they direct now
}

// Offering is an intervention a provider offers, for some risk groups.
type Offering struct {
	ID               string
	ProviderID       string
	Name             string
	Description      string
	TargetRiskGroups []RiskGroup
}

// DirectoryService reads the parties of the approach. The GraphQL layer loads
// them in batches: every ...ByID method returns values in the order of its ids,
// with nil for an unknown id, in one round trip.
type DirectoryService interface {
	// Municipalities returns every municipality, ordered by name.
	Municipalities(ctx context.Context) ([]*Municipality, error)
	MunicipalitiesByCode(ctx context.Context, codes []string) ([]*Municipality, error)
	// Organisations returns every organisation, ordered by name.
	Organisations(ctx context.Context) ([]*Organisation, error)
	OrganisationsByID(ctx context.Context, ids []string) ([]*Organisation, error)
	// Directors returns every director, ordered by name.
	Directors(ctx context.Context) ([]*Director, error)
	DirectorsByID(ctx context.Context, ids []string) ([]*Director, error)
	// Offerings returns every intervention offering, ordered by provider and name.
	Offerings(ctx context.Context) ([]*Offering, error)
	OfferingsByID(ctx context.Context, ids []string) ([]*Offering, error)
}
