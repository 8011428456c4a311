"""Start the dashboard with uvicorn (bound to 127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import sys

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(host: str = "127.0.0.1", port: int = 8050) -> None:
    import uvicorn

    from borderflow.dashboard.app import create_app

    if host not in LOOPBACK:
        print(f"warning: binding {host}:{port} exposes the dashboard to other machines; it has "
              "no authentication. Use the default 127.0.0.1 unless you know you need this.",
              file=sys.stderr)
    url_host = f"[{host}]" if ":" in host else host
    print(f"borderflow dashboard on http://{url_host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    uvicorn.run(create_app(host, port), host=host, port=port, log_level="warning",
                server_header=False, proxy_headers=False)
