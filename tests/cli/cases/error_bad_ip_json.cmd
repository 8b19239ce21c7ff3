get endpoints -o yaml -f bad/bad-ip.json
