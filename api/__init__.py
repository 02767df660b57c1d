"""HTTP and command-line interfaces: FastAPI + strawberry GraphQL, and the `pariscall` CLI."""
