get endpointslices -n kube-system --max-endpoints-per-slice 0 -f kube-dns.json
