FROM debian:bookworm-slim AS rootfs
RUN <<-EOF
	set -eux
	mkdir -p /rootfs/etc /rootfs/tmp
	echo 'nonroot:x:65532:65532::/home/nonroot:/sbin/nologin' > /rootfs/etc/passwd
	EOF
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
    https://example.com/tzdata.tar.gz /tmp/
ADD --keep-git-dir=true https://github.com/example/config.git#v1.0 /rootfs/etc/config

FROM scratch
COPY --from=rootfs /rootfs/ /
USER 65532:65532
