"""Statements about working groups."""

PAGE = "MATCH (n:WorkingGroup) RETURN n {.*} AS node ORDER BY n.code, n.id SKIP $skip LIMIT $limit"
COUNT = "MATCH (n:WorkingGroup) RETURN count(n) AS n"
