set -eux; (cd /src && make -j"$(nproc)") | tee log; { echo `date`; } 2>&1 >/dev/null
