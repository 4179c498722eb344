FROM alpine
RUN echo ok
COPPY a b
