get deployments -f kube-dns.json
