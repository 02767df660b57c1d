"""One statement per root field: a read's whole selection planned from schema/kinds.py.

A root field (`initiative(id:)`, `initiatives(where:, first:)`, …) and the relations
selected below it become a plan (`plan.py`): which relations, to what depth, with which
page windows and counts. `cypher.py` turns the plan into one parameterised statement of
nested `CALL { WITH x … RETURN collect(…) }` subqueries, and `reading.py` runs it and
files each relation's answer under the response key that asked for it, so the API's
resolvers answer from it without another round trip. The planner knows only what
kinds.py describes: a relation added there is planned without new code.
"""
