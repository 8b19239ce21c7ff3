get pods myapp-1 -l app=MyApp -f seed/with-selector.yaml
