"""The benchmark's ceiling: FastAPI on uvicorn returning bytes it already holds.

Whatever this serves per second, no endpoint of the same stack can beat on this machine.
"""

from functools import cache

from fastapi import FastAPI, Response

app = FastAPI()


@cache
def _body(size: int) -> bytes:
    return b"x" * size


@app.get("/bytes/{size}")
async def bytes_of(size: int) -> Response:
    """`size` bytes, the same for every request."""
    return Response(_body(size), media_type="application/json")
