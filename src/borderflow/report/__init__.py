"""HTML reports (self-contained, offline: the plotting JavaScript is inlined)."""
