// Reads [{name, statement}] as JSON on stdin and prints, as JSON, every diagnostic
// Neo4j's Cypher analyser reports for each statement, checked against the Neo4j 5
// built-in functions and procedures shipped with the analyser, plus the registry's
// own labels, relationship types and each statement's parameters.
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const builtins = testData.mockSchema;

const results = input.statements.map(({ name, statement }) => {
  const parameters = {};
  for (const match of statement.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) parameters[match[1]] = null;
  const schema = {
    functions: builtins.functions,
    procedures: builtins.procedures,
    labels: input.labels,
    relationshipTypes: input.relationshipTypes,
    parameters,
  };
  const { diagnostics } = lintCypherQuery(statement, schema);
  return {
    name,
    diagnostics: diagnostics.map((d) => ({ severity: d.severity, message: d.message })),
  };
});
process.stdout.write(JSON.stringify(results));
