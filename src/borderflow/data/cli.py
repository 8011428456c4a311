"""`borderflow data ...` commands (filled in by the data layer)."""

import typer

app = typer.Typer(no_args_is_help=True)
