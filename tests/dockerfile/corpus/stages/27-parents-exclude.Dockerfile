# syntax=docker/dockerfile:1.7-labs
FROM python:3.12-slim AS build
WORKDIR /src
COPY --parents --exclude=**/*_test.py --exclude=**/__pycache__ ./services/*/src ./
RUN python -m compileall .

FROM gcr.io/distroless/python3-debian12:nonroot
COPY --from=build /src /app
