get pods -l app=MyApp,app!=Other --no-headers -A -f seed/with-selector.yaml
