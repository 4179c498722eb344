FROM --platform=$BUILDPLATFORM python:3.12-bookworm AS build
ARG TARGETPLATFORM
RUN echo "building for $TARGETPLATFORM"
WORKDIR /src
COPY pyproject.toml poetry.lock ./
RUN pip install poetry && poetry export -o requirements.txt && \
    pip install --target /deps -r requirements.txt
COPY gateway ./gateway

FROM gcr.io/distroless/python3-debian12:nonroot AS runtime
COPY --from=build /deps /deps
COPY --from=build /src/gateway /app/gateway
ENV PYTHONPATH=/deps
EXPOSE 8080/tcp
ENTRYPOINT ["python3", "-m", "gateway"]
