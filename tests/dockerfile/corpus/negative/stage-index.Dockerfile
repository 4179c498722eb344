FROM alpine
COPY --from=7 /a /a
