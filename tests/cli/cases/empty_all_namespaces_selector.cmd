get pods -A -l app=nothing -f seed/with-selector.yaml
