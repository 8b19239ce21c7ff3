get pods -f does-not-exist.yaml
