"""Command-line interface: presentation only, it calls the public API."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from borderflow.errors import InputError

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="borderflow: simulate, explain and forecast migration through the "
                       "Central America - Mexico - United States corridor.")
err_console = Console(stderr=True)


_registered = False


def _register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from borderflow.data.cli import app as data_app

    app.add_typer(data_app, name="data", help="Bundled official observations: list, show, import, export.")


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors print one clear message and exit with code 2."""
    _register()
    try:
        app(args=argv, standalone_mode=False)
    except InputError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(130)
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(2)
        raise


if __name__ == "__main__":
    main()
