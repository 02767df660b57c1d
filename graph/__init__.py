"""Graph access: the GraphStore port, its FalkorDB and Neo4j adapters, and every Cypher
statement the project sends. No other package speaks Cypher or touches a driver."""
