package model

// Node is any object with a global id. Domain types are bound to the GraphQL
// Node interface without knowing of it; their global ids come from resolvers.
type Node interface{}
