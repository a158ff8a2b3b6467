// The Neo4j GraphQL Library (@neo4j/graphql 7) on Apollo Server, over
// casusnet's own graph: the type definitions below map onto the labels,
// properties and relationship types casusnet writes (internal/neo4j), so
// that `make bench` can run the same work through both on one database.
//
// Environment: PORT (4000), NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD.
// Production settings: no introspection, no debug, no authentication (the
// library's authorization is not configured; casusnet's access control has
// no counterpart here, which favours the library in the comparison).
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

export const typeDefs = /* GraphQL */ `
  type Case @node @mutation(operations: []) {
    id: ID!
    reference: String!
    openedAt: DateTime!
    phase: String!
    municipality: Municipality @relationship(type: "IN", direction: OUT)
    director: Director @relationship(type: "DIRECTS", direction: IN)
    subjects: [Person!]! @relationship(type: "CONCERNS", direction: OUT)
    interventions: [Intervention!]! @relationship(type: "HAS", direction: OUT)
  }
  type Municipality @node {
    code: ID!
    name: String!
  }
  type Director @node @mutation(operations: []) {
    id: ID!
    name: String!
  }
  type Person @node @mutation(operations: []) {
    id: ID!
    firstName: String
    lastName: String!
    aliases: [String!]
    relatives: [Person!]! @relationship(type: "RELATIVE", direction: OUT, queryDirection: UNDIRECTED)
    contacts: [Person!]! @relationship(type: "CONTACT", direction: OUT, queryDirection: UNDIRECTED)
  }
  type Intervention @node @mutation(operations: []) {
    id: ID!
    status: String!
    offering: InterventionOffering @relationship(type: "OF", direction: OUT)
  }
  type InterventionOffering @node @mutation(operations: []) {
    id: ID!
    name: String!
    provider: Organisation @relationship(type: "OFFERS", direction: IN)
  }
  type Organisation @node @mutation(operations: []) {
    id: ID!
    name: String!
  }
  type Signal @node {
    id: ID!
    description: String!
    indicators: [String!]
    status: String!
    reporterId: String
    reporterName: String
    receivedAt: DateTime! @timestamp(operations: [CREATE])
    # A list: @neo4j/graphql 7 connects only through list relationships.
    municipality: [Municipality!]! @relationship(type: "IN", direction: OUT)
    about: [Person!]! @relationship(type: "ABOUT", direction: OUT)
  }
`;

const driver = neo4j.driver(
  process.env.NEO4J_URI || "bolt://127.0.0.1:7687",
  neo4j.auth.basic(process.env.NEO4J_USER || "neo4j", process.env.NEO4J_PASSWORD || "casusnet-dev"),
  { maxConnectionPoolSize: 128, disableLosslessIntegers: true },
);
const lib = new Neo4jGraphQL({
  typeDefs,
  driver,
  // Case-insensitive string filters, as casusnet's person search is.
  features: { filters: { String: { CASE_INSENSITIVE: true } } },
});
const server = new ApolloServer({ schema: await lib.getSchema(), introspection: process.env.INTROSPECTION === "true", includeStacktraceInErrorResponses: false });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT || 4000), host: "127.0.0.1" } });
console.log(`ready ${url}`);
