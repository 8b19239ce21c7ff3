get endpoints -o yaml -f bad/bad-port.yaml
