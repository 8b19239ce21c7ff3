get endpoints -n kube-system -f kube-dns.json --no-headers -o wide
