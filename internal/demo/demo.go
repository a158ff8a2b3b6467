// Package demo holds casusnet's demo region: the Amstelland municipalities and
// Amsterdam, their partner organisations, directors, persons with families and
// networks, cases in every phase and risk group, interventions and signals.
// All of it is invented; any likeness to real people is accidental.
//
// The data is plain values with stable ids, so that seeding it twice changes
// nothing. The Neo4j adapter writes it (neo4j.DB.Seed).
package demo

import "casusnet/internal/region"

// The demo region is written in the neutral model of a region's data.
type (
	Data         = region.Data
	Municipality = region.Municipality
	Organisation = region.Organisation
	Director     = region.Director
	Person       = region.Person
	Relative     = region.Relative
	Contact      = region.Contact
	Membership   = region.Membership
	Group        = region.Group
	Offering     = region.Offering
	Case         = region.Case
	Move         = region.Move
	Intervention = region.Intervention
	Measure      = region.Measure
	Signal       = region.Signal
	Weighing     = region.Weighing
	Conference   = region.Conference
	Question     = region.Question
	Goal         = region.Goal
	Action       = region.Action
	Assessment   = region.Assessment
)
