// Runs the graphql-http audit (GraphQL over HTTP specification) against the URL given
// as the first argument and prints every result as JSON: id, name, status, reason.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
process.stdout.write(
  JSON.stringify(
    results.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      reason: r.status === 'ok' ? null : r.reason,
    })),
  ),
);
