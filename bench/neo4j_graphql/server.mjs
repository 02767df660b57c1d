// The registry's dashboard served by the Neo4j GraphQL Library on the same Neo4j server
// as ours, over plain HTTP (graphql-http). Usage: node server.mjs PORT BOLT_URL
import http from "node:http";
import { createHandler } from "graphql-http/lib/use/http";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

// Each relation declared once on its type, as the library expects.
const typeDefs = `#graphql
  type WorkingGroup @node {
    id: ID!
    name: String
    members: [Signatory!]! @relationship(type: "MEMBER_OF", direction: IN, properties: "Membership")
    initiatives: [Initiative!]! @relationship(type: "TRACKS", direction: OUT)
  }
  type Membership @relationshipProperties { role: String }
  type Contribution @relationshipProperties { role: String }
  type Signatory @node {
    id: ID!
    name: String
    kind: String
    country: String
  }
  type Topic @node {
    id: ID!
    name_en: String
    name_fr: String
  }
  type Initiative @node {
    id: ID!
    title: String
    status: String
    language: String
    topics: [Topic!]! @relationship(type: "ADDRESSES", direction: OUT)
    contributors: [Signatory!]! @relationship(type: "CONTRIBUTES_TO", direction: IN, properties: "Contribution")
    workingGroups: [WorkingGroup!]! @relationship(type: "TRACKS", direction: IN)
  }
`;

const [port, url] = process.argv.slice(2);
const driver = neo4j.driver(url, neo4j.auth.basic("neo4j", process.env.NEO4J_PASSWORD || ""));
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
// The library keeps per-request state on the context object: give it one.
const handler = createHandler({ schema, context: () => ({}) });
http.createServer((req, res) => handler(req, res)).listen(Number(port), "127.0.0.1", () => {
  console.log(`READY http://127.0.0.1:${port}/graphql`);
});
