get endpoints -o yaml -f bad/bad-target-port.yaml
