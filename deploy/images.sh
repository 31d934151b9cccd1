#!/usr/bin/env bash
# Builds segstream's images from deploy/Dockerfile with Docker or Podman and reports their sizes.
#
#   deploy/images.sh                      ingest, segmenter, sink and kafka on the public base images
#   deploy/images.sh --gpu                ... and segmenter-gpu (its CUDA base must be pullable)
#   deploy/images.sh --debian-bases       bases made here from Debian's packages (mmdebstrap, as root),
#                                         for machines that cannot pull eclipse-temurin
#   deploy/images.sh --prometheus         ... and localhost/segstream-prometheus:bookworm, Debian's
#                                         Prometheus, for the compose stack's local override
#   deploy/images.sh --m2 "$HOME/.m2"     Podman: build with this Maven repository (nothing downloaded
#                                         that it holds) instead of the build cache
#   ENGINE=docker|podman                  the engine (default: podman where installed, else docker)
#   TAG=0.1.0                             the images' tag
#   GPU_BASE=IMAGE                        segmenter-gpu's base instead of nvidia/cuda (an Ubuntu or Debian
#                                         image with apt; CUDA itself must then come from the host)
# Exit 0 when every image built, 1 when one did not (the engine's output says why), 2 on bad usage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

targets=(ingest segmenter sink kafka)
debian_bases=false
prometheus=false
m2=""
while (($#)); do
  case $1 in
    --gpu) targets+=(segmenter-gpu) ;;
    --debian-bases) debian_bases=true ;;
    --prometheus) prometheus=true ;;
    --m2) m2=${2:?--m2 needs a directory}; shift ;;
    *) echo "images.sh: unknown option '$1' (--gpu, --debian-bases, --prometheus, --m2 DIR)" >&2; exit 2 ;;
  esac
  shift
done
engine=${ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}
tag=${TAG:-0.1.0}
args=()
if [[ $engine == podman ]]; then
  # docker format: OCI images have no HEALTHCHECK
  args+=(--format docker)
fi
if [[ -n $m2 ]]; then
  if [[ $engine != podman ]]; then echo "images.sh: --m2 needs podman (docker build mounts no volumes)" >&2; exit 2; fi
  if [[ ! -d $m2/repository ]]; then echo "images.sh: --m2 $m2 has no repository/ directory" >&2; exit 2; fi
  args+=(--volume "$(cd "$m2" && pwd):/host-m2" --build-arg M2=/host-m2)
fi

# Debian bookworm bases: the JDK to build with, the JRE to run on (about a minute each).
base() { # name, packages[, podman import --change ...]
  local image=localhost/segstream-$1:bookworm
  if ! $engine image exists "$image" 2>/dev/null && [[ -z $($engine images -q "$image" 2>/dev/null) ]]; then
    local tar
    tar=$(mktemp --suffix=.tar)
    echo "images.sh: making $image from Debian's packages ($2)" >&2
    mmdebstrap --quiet --variant=apt --include="$2" bookworm "$tar" </dev/null
    $engine import "${@:3}" "$tar" "$image" >/dev/null
    rm -f "$tar"
  fi
  echo "$image"
}
if $debian_bases; then
  args+=(--build-arg "BUILD_BASE=$(base base-jdk openjdk-17-jdk-headless,passwd,ca-certificates)")
  args+=(--build-arg "RUNTIME_BASE=$(base base-jre openjdk-17-jre-headless,passwd,ca-certificates)")
fi
if [[ -n ${GPU_BASE:-} ]]; then
  args+=(--build-arg "GPU_BASE=$GPU_BASE")
fi
if $prometheus; then
  base prometheus prometheus --change 'USER prometheus' --change 'WORKDIR /tmp' \
    --change 'ENTRYPOINT ["/usr/bin/prometheus", "--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/tmp/prometheus"]' \
    --change 'EXPOSE 9090' >/dev/null
fi

for t in "${targets[@]}"; do
  start=$SECONDS
  echo "images.sh: building segstream/$t:$tag" >&2
  $engine build "${args[@]}" -f deploy/Dockerfile --target "$t" -t "segstream/$t:$tag" . >&2
  echo "images.sh: segstream/$t:$tag built in $((SECONDS - start)) s" >&2
done
echo "image size"
for t in "${targets[@]}"; do
  bytes=$($engine image inspect --format '{{.Size}}' "segstream/$t:$tag")
  echo "segstream/$t:$tag $((bytes / 1000000)) MB"
done
