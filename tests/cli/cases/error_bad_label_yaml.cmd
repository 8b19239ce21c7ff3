get endpoints -o yaml -f bad/bad-label.yaml
