get endpoints -o yaml -f bad/no-kind.yaml
