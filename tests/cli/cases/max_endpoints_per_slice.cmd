get endpointslices -n kube-system --max-endpoints-per-slice 1 --no-headers -f kube-dns.json
