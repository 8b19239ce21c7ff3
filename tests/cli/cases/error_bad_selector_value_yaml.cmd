get endpoints -o yaml -f bad/bad-selector-value.yaml
