get --namespace=kube-system endpointslices --output=name --selector=kubernetes.io/service-name=kube-dns -f kube-dns.json
