get endpointslices missing -n kube-system -f kube-dns.json
