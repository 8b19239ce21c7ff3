get pods -A -f hostile/invalid-utf8-name.yaml
