#!/bin/bash
# The images' health check, with bash alone (the base images have no curl):
#   segstream-healthcheck            GET /health on 127.0.0.1:$SEGSTREAM_METRICS_PORT answers 200
#   segstream-healthcheck --tcp PORT 127.0.0.1:PORT takes a connection (the broker)
# Exit 0 healthy, 1 not, with one line saying why.
set -u
if [[ ${1:-} == --tcp ]]; then
  if exec 3<>"/dev/tcp/127.0.0.1/${2:?port}"; then exit 0; fi
  echo "nothing listens on port $2"
  exit 1
fi
port=${SEGSTREAM_METRICS_PORT:-}
if [[ ! $port =~ ^[0-9]{1,5}$ ]] || ((port == 0)); then
  echo "SEGSTREAM_METRICS_PORT must name the service's metrics port, got '$port'"
  exit 1
fi
if ! exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  echo "nothing listens on port $port"
  exit 1
fi
printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
IFS=' ' read -r -t 4 _ code _ <&3 || code=none
if [[ $code == 200 ]]; then exit 0; fi
echo "GET /health answered ${code}"
exit 1
