// Package casus is casusnet's domain: the cases of the multi-agency approach
// to radicalisation, the persons and networks they concern, signals,
// interventions and measures; the rules of the work process; the one
// application error type; and the service interfaces that adapters implement.
//
// It imports no adapter. The Neo4j adapter (internal/neo4j) implements the
// services and calls the rules here inside its transactions; the GraphQL layer
// (graph) calls the services.
package casus
