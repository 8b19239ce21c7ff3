get endpointslices --node-policy sometimes -f kube-dns.json
