FROM --platform=$BUILDPLATFORM rust:1.77-bookworm AS chef
RUN cargo install cargo-chef
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
ARG TARGETARCH
COPY --from=planner /app/recipe.json recipe.json
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    cargo chef cook --release --recipe-path recipe.json
COPY . .
RUN cargo build --release && cp target/release/engine /engine

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=builder /engine /usr/local/bin/engine
ENTRYPOINT ["/usr/local/bin/engine"]
