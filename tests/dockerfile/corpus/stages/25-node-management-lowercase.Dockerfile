from python:3.12-slim as builder
  run pip wheel --wheel-dir /wheels fastapi uvicorn
  copy . /src

from gcr.io/distroless/python3-debian12
copy --from=BUILDER /wheels /wheels
copy --from=builder /src /app
cmd ["/app/main.py"]
