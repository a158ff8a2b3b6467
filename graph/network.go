package graph

import "casusnet/internal/casus"

// nodeKinds are the global id kinds of network nodes.
var nodeKinds = map[casus.NodeKind]string{
	casus.NodePerson:       kindPerson,
	casus.NodeCase:         kindCase,
	casus.NodeGroup:        kindGroup,
	casus.NodeOrganisation: kindOrganisation,
}

// nodeID is the global id of the object a network node stands for.
func nodeID(n casus.NodeRef) string { return globalID(nodeKinds[n.Kind], n.ID) }

// optional returns nil for the empty string.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
