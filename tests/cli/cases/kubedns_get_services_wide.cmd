get svc -o wide -n kube-system -f kube-dns.json
