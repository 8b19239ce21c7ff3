get ep -n kube-system -f kube-dns.json
