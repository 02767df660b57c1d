// Reads [{name, statement}] as JSON on stdin and prints, as JSON, every diagnostic
// Neo4j's Cypher analyser reports for each statement, checked against the Neo4j 5
// built-in functions and procedures shipped with the analyser, plus the registry's
// own labels, relationship types and each statement's parameters. The statements are
// shared among one worker thread per core: the analyser takes about 0.1 s for each.
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

function lint({ statements, labels, relationshipTypes }) {
  const builtins = testData.mockSchema;
  return statements.map(({ name, statement }) => {
    const parameters = {};
    for (const match of statement.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) parameters[match[1]] = null;
    const schema = {
      functions: builtins.functions,
      procedures: builtins.procedures,
      labels,
      relationshipTypes,
      parameters,
    };
    const { diagnostics } = lintCypherQuery(statement, schema);
    return {
      name,
      diagnostics: diagnostics.map((d) => ({ severity: d.severity, message: d.message })),
    };
  });
}

if (isMainThread) {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const workers = Math.max(1, Math.min(availableParallelism(), 4));
  const parts = Array.from({ length: workers }, (_, w) => ({
    ...input,
    statements: input.statements.filter((_, i) => i % workers === w),
  }));
  const answers = await Promise.all(
    parts.map(
      (part) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: part });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  // Back in the order given: statement i is the (i / workers)-th of part i % workers.
  const results = input.statements.map((_, i) => answers[i % workers][Math.floor(i / workers)]);
  process.stdout.write(JSON.stringify(results));
} else {
  parentPort.postMessage(lint(workerData));
}
