FROM alpine
ENV X=${Y
