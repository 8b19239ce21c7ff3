get endpoints -o yaml -f bad/label-not-string.yaml
