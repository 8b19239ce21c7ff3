get pods -n kube-system -f kube-dns.json
