"""`/docs` and `/redoc`: interactive documentation whose every asset the app serves itself."""

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
PAGES = Path(__file__).resolve().parent.parent / "static" / "docs"
#: Swagger UI and ReDoc as shipped inside the fastapi-offline package: no CDN involved.
ASSETS = Path(str(files("fastapi_offline") / "static"))


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    """Swagger UI over `/openapi.json`."""
    return HTMLResponse((PAGES / "swagger.html").read_text(encoding="utf-8"))


@router.get("/redoc")
def redoc() -> HTMLResponse:
    """ReDoc over `/openapi.json`."""
    return HTMLResponse((PAGES / "redoc.html").read_text(encoding="utf-8"))
