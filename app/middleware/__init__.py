"""ASGI middleware: what every request passes before routing, and every response after."""
