ARG V=1
ENV X=1
FROM alpine
