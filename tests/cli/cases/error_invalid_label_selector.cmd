get pods -l 'app in (web' -f seed/with-selector.yaml
