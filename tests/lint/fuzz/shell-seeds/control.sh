case "$x" in a|b) apk add --no-cache git ;; (*) pip install -r r.txt ;; esac
for p in a b; do echo $p; done
if [ -f a ]; then :; fi
