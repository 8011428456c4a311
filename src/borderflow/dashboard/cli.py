"""Commands of this package (registered on the main CLI)."""

import typer


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="address to bind (default: this machine only)"),
        port: int = typer.Option(8050, min=1, max=65535, help="port"),
    ) -> None:
        """Dashboard on http://127.0.0.1:8050: move the policy levers, run, compare."""
        # lazy: the command's code loads only when it runs (fast --help)
        from borderflow.dashboard.server import serve as run_server

        run_server(host=host, port=port)
