get endpoints -n kube-system -f -
stdin: kube-dns.json
