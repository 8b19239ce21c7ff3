get endpoints kube-dns -n kube-system -o json -f kube-dns.json
