"""`python -m api.cli`: the `pariscall` command."""

from api.cli import main

main()
