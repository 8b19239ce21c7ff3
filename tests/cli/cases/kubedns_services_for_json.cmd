services-for coredns-7db6d8ff4d-5xk2p -n kube-system -o json -f kube-dns.json
