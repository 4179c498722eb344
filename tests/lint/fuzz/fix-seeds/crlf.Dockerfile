FROM debian
MAINTAINER x
CMD app \
  --flag
RUN apt install -y curl && wget https://a
