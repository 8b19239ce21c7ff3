get endpoints missing -f seed/with-selector.yaml -o yaml
