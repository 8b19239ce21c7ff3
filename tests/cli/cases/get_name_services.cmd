get svc -A -o name -f seed/with-selector.yaml
