get endpointslices -n kube-system --max-endpoints-per-slice=1001 -f kube-dns.json
