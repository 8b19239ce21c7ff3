get endpointslices -A -f kube-dns.json
