# permdoctor's own image: built in Debian 12, shipped as the binary plus the shared libraries it
# loads (found with ldd) on an empty base, running as a non-root numeric user. No shell, no
# package manager, nothing else: permdoctor reads archives and needs no files beside it but the
# CA bundle, for registries over TLS.
#   docker build -t permdoctor .
#   docker save my-app | docker run --rm -i permdoctor lint -
#   docker run --rm -v "$PWD:/in:ro" permdoctor lint /in/my-app.tar
#   docker run --rm permdoctor lint docker://registry.example.com/app:1.0
# DEBIAN names the build stage's base: any Debian 12 image (a mirror, or one made offline with
# debootstrap, as tests/contrib/dockerfile_test.sh does).
ARG DEBIAN=docker.io/library/debian:12

FROM ${DEBIAN} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config libarchive-dev nlohmann-json3-dev libssl-dev \
      libcli11-dev libzstd-dev zlib1g-dev libisal-dev libcurl4-openssl-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPD_TESTS=OFF \
 && cmake --build /build --target permdoctor
# The root filesystem of the final image: the stripped binary, every library ldd names (the ELF
# loader included) at the path the loader looks for it, and the Debian copyright file of each
# package a library comes from. The chroot proves the set is complete before anything ships.
RUN set -eu; \
    install -D -s -m 0755 /build/permdoctor /rootfs/usr/local/bin/permdoctor; \
    for lib in $(ldd /build/permdoctor | grep -o '/[^ ]*'); do \
      mkdir -p "/rootfs${lib%/*}"; cp -L "$lib" "/rootfs$lib"; \
      pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")"); \
      pkg=${pkg%%:*}; \
      install -D -m 0644 "/usr/share/doc/$pkg/copyright" "/rootfs/usr/share/doc/$pkg/copyright"; \
    done; \
    install -D -m 0644 /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/ca-certificates.crt; \
    chroot /rootfs /usr/local/bin/permdoctor --version

FROM scratch
COPY --from=build /rootfs/ /
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/permdoctor"]
CMD ["--help"]
