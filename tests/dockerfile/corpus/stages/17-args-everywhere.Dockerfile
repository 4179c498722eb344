ARG REGISTRY=docker.io
ARG NODE_MAJOR=20
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs${NODE_MAJOR}-debian12
FROM ${REGISTRY}/library/node:${NODE_MAJOR}-slim AS build
ARG NODE_MAJOR
RUN echo "node $NODE_MAJOR"
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM ${RUNTIME_IMAGE}:nonroot
COPY --from=build /app/dist /app
CMD ["/app/index.js"]
