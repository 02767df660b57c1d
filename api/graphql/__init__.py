"""The GraphQL schema: types, queries and mutations split per domain."""
