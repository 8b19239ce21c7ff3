get svc -v -o name -f seed/with-selector.yaml -f seed/with-selector.yaml
