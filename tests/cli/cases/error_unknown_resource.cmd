get configmaps -f kube-dns.json
