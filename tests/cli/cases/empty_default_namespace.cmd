get endpoints -f kube-dns.json
