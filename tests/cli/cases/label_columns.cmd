get pods -L version -L app,missing -f kubectl.yaml
