get pods -v -n kube-system -o name -f kube-dns.json
