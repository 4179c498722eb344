FROM alpine AS build
FROM build AS build
